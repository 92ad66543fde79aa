// One incident: what is happening, why the alerts belong together, what caused it, what Vigil
// proposes to do about it, and what has been done. Fetched again whenever the stream says the
// incident changed.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, describeError, isAbort } from '../api';
import { SeverityBadge, StatusBadge, PlanStateBadge } from '../components/Badges';
import { ActionFeedback, PlanCard, type ActionMessage } from '../components/PlanCard';
import { TopologyGraph } from '../components/TopologyGraph';
import { useDocumentTitle, useNow } from '../hooks';
import {
  describeAttachReason,
  formatClock,
  formatScore,
  formatTimestamp,
  relativeTime,
} from '../lib/format';
import { incidentPath } from '../lib/routes';
import type { IncidentTopology, IncidentView, RcaResult, RootCauseCandidate } from '../lib/types';
import { Link, remembered } from '../router';
import { useSession } from '../session';
import { useIncidentStream } from '../stream';

const INCIDENT_SCOPE = 'incident';

export function IncidentPage({ id }: { id: string }) {
  const { me } = useSession();
  const now = useNow(15_000);
  const [view, setView] = useState<IncidentView | null>(null);
  const [topology, setTopology] = useState<IncidentTopology | null>(null);
  const [topologyError, setTopologyError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<{ status: number; message: string } | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useDocumentTitle(view ? view.title : 'Incident');

  const seq = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const load = useCallback(async () => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    const mine = ++seq.current;
    const [viewResult, topologyResult] = await Promise.allSettled([
      api.incident(id, c.signal),
      api.topology(id, c.signal),
    ]);
    if (mine !== seq.current) return;
    if (viewResult.status === 'fulfilled') {
      setView(viewResult.value);
      setLoadError(null);
    } else if (!isAbort(viewResult.reason)) {
      const e = viewResult.reason;
      setLoadError({ status: e instanceof ApiError ? e.status : 0, message: describeError(e) });
    }
    if (topologyResult.status === 'fulfilled') {
      setTopology(topologyResult.value);
      setTopologyError(null);
    } else if (!isAbort(topologyResult.reason)) {
      const e = topologyResult.reason;
      setTopologyError(
        e instanceof ApiError && e.status === 404 ? null : describeError(topologyResult.reason),
      );
      if (e instanceof ApiError && e.status === 404) setTopology(null);
    }
  }, [id]);

  useEffect(() => {
    setView(null);
    setTopology(null);
    setLoadError(null);
    setTopologyError(null);
    setMessage(null);
    void load();
    return () => controller.current?.abort();
  }, [load]);

  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(reloadTimer.current), [id]);
  useIncidentStream({
    onIncident: (item) => {
      if (item.incidentId !== id) return;
      // a burst of changes (alerts, rca, plan, executor) becomes one fetch
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(() => void load(), 150);
    },
    onReady: () => void load(),
  });

  const act = async (scope: string, key: string, run: () => Promise<string>) => {
    setBusy(`${scope}:${key}`);
    setMessage(null);
    try {
      const text = await run();
      setMessage({ scope, kind: 'done', text });
      void load();
    } catch (e) {
      setMessage({ scope, kind: 'error', text: describeError(e) });
    } finally {
      setBusy(null);
    }
  };

  const acknowledge = () =>
    act(INCIDENT_SCOPE, 'ack', async () => {
      const answer = await api.acknowledge(id);
      return `Acknowledged by ${answer?.action?.by?.user ?? me.user.name}`;
    });
  const resolve = () =>
    act(INCIDENT_SCOPE, 'resolve', async () => {
      const answer = await api.resolve(id);
      return `Resolved by ${answer?.action?.by?.user ?? me.user.name}`;
    });
  const decide = (planId: string, decision: 'approve' | 'reject', reason: string) =>
    act(planId, decision, async () => {
      const answer = await api.decide(planId, decision, reason || undefined);
      const who = answer?.decision?.by?.user ?? me.user.name;
      return `${decision === 'approve' ? 'approved' : 'rejected'} by ${who}`;
    });

  const back = (
    <Link to={`/${remembered.listSearch}`} className="back">
      ← Incidents
    </Link>
  );

  if (loadError && !view)
    return (
      <div className="page">
        {back}
        <div className="card empty-card" data-testid="incident-error">
          <h1>{loadError.status === 404 ? 'Incident not found' : 'Could not load the incident'}</h1>
          <p className="muted">
            {loadError.status === 404 ? (
              <>
                No incident <code>{id}</code> is known to the console.
              </>
            ) : (
              loadError.message
            )}
          </p>
          {loadError.status !== 404 && (
            <button type="button" className="btn" onClick={() => void load()}>
              Retry
            </button>
          )}
        </div>
      </div>
    );
  if (!view)
    return (
      <div className="page">
        {back}
        <p className="empty">Loading incident…</p>
      </div>
    );

  const incidentMessage = message?.scope === INCIDENT_SCOPE ? message : null;
  return (
    <div className="page incident-page" data-incident-id={view.incidentId}>
      {back}
      {view.mergedInto && (
        <p className="banner">
          This incident was merged into{' '}
          <Link to={incidentPath(view.mergedInto)} className="mono">
            {view.mergedInto}
          </Link>
          .
        </p>
      )}
      <header className={`card incident-head sev-edge-${view.severity}`}>
        <div className="head-main">
          <div className="head-line">
            <SeverityBadge severity={view.severity} />
            <h1 data-testid="incident-title">{view.title}</h1>
          </div>
          <div className="head-meta">
            <StatusBadge status={view.status} testId="incident-status" />
            <span className="mono muted">{view.incidentId}</span>
            <span className="services">
              {view.services.map((s) => (
                <span key={s} className="tag">
                  {s}
                </span>
              ))}
            </span>
          </div>
          <dl className="facts inline">
            <div>
              <dt>Opened</dt>
              <dd title={formatTimestamp(view.openedAt)}>{relativeTime(view.openedAt, now)}</dd>
            </div>
            <div>
              <dt>Updated</dt>
              <dd title={formatTimestamp(view.updatedAt)}>{relativeTime(view.updatedAt, now)}</dd>
            </div>
            <div>
              <dt>Alerts</dt>
              <dd>{view.alertCount}</dd>
            </div>
            {view.rootCause && (
              <div>
                <dt>Root cause</dt>
                <dd>
                  <span className="mono">{view.rootCause.service}</span>{' '}
                  <span className="score">{formatScore(view.rootCause.score)}</span>
                </dd>
              </div>
            )}
            {view.planState && (
              <div>
                <dt>Plan</dt>
                <dd>
                  <PlanStateBadge state={view.planState} />
                </dd>
              </div>
            )}
            {view.acknowledgedBy && (
              <div data-testid="acknowledged-by">
                <dt>Acknowledged</dt>
                <dd title={formatTimestamp(view.acknowledgedBy.at)}>
                  by <strong>{view.acknowledgedBy.user}</strong>{' '}
                  {relativeTime(view.acknowledgedBy.at, now)}
                </dd>
              </div>
            )}
            {view.resolvedBy && (
              <div data-testid="resolved-by">
                <dt>Resolved</dt>
                <dd title={formatTimestamp(view.resolvedBy.at)}>
                  by <strong>{view.resolvedBy.user}</strong> {relativeTime(view.resolvedBy.at, now)}
                </dd>
              </div>
            )}
          </dl>
        </div>
        <div className="head-actions">
          <div className="buttons">
            <button
              type="button"
              className="btn"
              data-testid="ack-button"
              disabled={busy !== null || view.status !== 'open'}
              title={view.status !== 'open' ? `already ${view.status}` : undefined}
              onClick={() => void acknowledge()}
            >
              {view.status === 'open' ? 'Acknowledge' : 'Acknowledged'}
            </button>
            <button
              type="button"
              className="btn primary"
              data-testid="resolve-button"
              disabled={busy !== null || view.status === 'resolved'}
              title={view.status === 'resolved' ? 'already resolved' : undefined}
              onClick={() => void resolve()}
            >
              {view.status === 'resolved' ? 'Resolved' : 'Resolve'}
            </button>
          </div>
          <ActionFeedback message={incidentMessage} />
        </div>
      </header>

      <div className="columns">
        <div className="col-main">
          <section className="card">
            <h2>
              Topology
              {topology?.rootCause && (
                <span className="h-note">
                  root cause <span className="mono">{topology.rootCause}</span>
                  {topology.path.length > 1 && (
                    <>
                      {' '}
                      · path <span className="mono">{topology.path.join(' → ')}</span>
                    </>
                  )}
                </span>
              )}
            </h2>
            {topologyError ? (
              <p className="feedback error">Could not load the topology: {topologyError}</p>
            ) : topology ? (
              <TopologyGraph topology={topology} />
            ) : (
              <p className="empty">No topology for this incident.</p>
            )}
          </section>

          <section className="card">
            <h2>
              Alerts <span className="count">{view.alerts.length}</span>
            </h2>
            <AlertTable view={view} />
          </section>

          <section className="card">
            <h2>
              Remediation <span className="count">{view.plans.length}</span>
            </h2>
            {view.plans.length === 0 ? (
              <p className="empty">No remediation plan has been drafted.</p>
            ) : (
              <div className="plans">
                {view.plans.map((p, i) => (
                  <PlanCard
                    key={p.plan.planId}
                    view={p}
                    index={i}
                    busy={busy !== null}
                    message={message?.scope === p.plan.planId ? message : null}
                    onDecide={(planId, decision, reason) => void decide(planId, decision, reason)}
                  />
                ))}
              </div>
            )}
          </section>
        </div>

        <aside className="col-side">
          <section className="card">
            <h2>Root causes</h2>
            {view.rca ? <RootCauses rca={view.rca} /> : <p className="empty">No analysis yet.</p>}
          </section>
          <section className="card">
            <h2>
              Timeline <span className="count">{view.timeline.length}</span>
            </h2>
            {view.timeline.length === 0 ? (
              <p className="empty">Nothing yet.</p>
            ) : (
              <ol className="timeline" data-testid="timeline">
                {view.timeline.map((t, i) => (
                  <li key={i} className={`tl-${t.kind}`} data-testid="timeline-entry">
                    <time dateTime={t.at} title={formatTimestamp(t.at)}>
                      {formatClock(t.at)}
                    </time>
                    <span className={`pill tl-kind kind-${t.kind}`}>{t.kind}</span>
                    <span className="tl-text">{t.text}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}

function AlertTable({ view }: { view: IncidentView }) {
  if (view.alerts.length === 0) return <p className="empty">No alerts.</p>;
  return (
    <table className="grid alerts">
      <thead>
        <tr>
          <th>Joined</th>
          <th>Alert</th>
          <th>Service</th>
          <th>Why it joined</th>
          <th>Fingerprint</th>
        </tr>
      </thead>
      <tbody>
        {view.alerts.map((a) => {
          const why = describeAttachReason(a.reason);
          return (
            <tr
              key={a.fingerprint}
              data-testid="alert-row"
              data-fingerprint={a.fingerprint}
              data-reason={a.reason.kind}
            >
              <td className="nowrap" title={formatTimestamp(a.at)}>
                {formatClock(a.at)}
              </td>
              <td className="alert-cell">
                {a.alert ? (
                  <>
                    <div className="alert-name">
                      <SeverityBadge severity={a.alert.severity} /> {a.alert.alertname}
                    </div>
                    {a.alert.summary && <div className="alert-summary">{a.alert.summary}</div>}
                  </>
                ) : (
                  <span className="muted">(alert details not recorded)</span>
                )}
              </td>
              <td className="mono">{a.alert?.service ?? '—'}</td>
              <td>
                <span className={`pill reason reason-${a.reason.kind}`} data-testid="alert-reason">
                  {why.label}
                </span>
                {why.detail && <div className="small muted reason-detail">{why.detail}</div>}
              </td>
              <td className="mono small fingerprint" title={a.fingerprint}>
                {a.fingerprint}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RootCauses({ rca }: { rca: RcaResult }) {
  const candidates = [...rca.candidates].sort((a, b) => a.rank - b.rank);
  return (
    <>
      <p className="small muted rca-meta">
        revision {rca.revision} · {rca.method} ·{' '}
        <span title={formatTimestamp(rca.generatedAt)}>{formatClock(rca.generatedAt)}</span>
      </p>
      {candidates.length === 0 ? (
        <p className="empty">No candidate found.</p>
      ) : (
        <ol className="candidates">
          {candidates.map((c) => (
            <Candidate key={`${c.rank}:${c.service}`} candidate={c} />
          ))}
        </ol>
      )}
    </>
  );
}

function Candidate({ candidate: c }: { candidate: RootCauseCandidate }) {
  const { metrics, logTemplates, alerts } = c.evidence;
  return (
    <li
      className={`candidate${c.rank === 1 ? ' lead' : ''}`}
      data-testid="rca-candidate"
      data-service={c.service}
      data-rank={c.rank}
    >
      <div className="cand-head">
        <span className="rank">#{c.rank}</span>
        <span className="mono cand-service">{c.service}</span>
        <span className="score" title="score">
          {formatScore(c.score)}
        </span>
      </div>
      {c.path.length > 1 && (
        <div className="small muted cand-path" title="explaining path">
          {c.path.join(' → ')}
        </div>
      )}
      {c.evidence.onset && (
        <div className="small muted">
          onset{' '}
          <span title={formatTimestamp(c.evidence.onset)}>{formatClock(c.evidence.onset)}</span>
        </div>
      )}
      {metrics.length > 0 && (
        <div className="evidence">
          <h5>Metrics</h5>
          <ul>
            {metrics.map((m, i) => (
              <li key={i} data-testid="evidence-metric">
                <span
                  className={`dir ${m.direction ?? ''}`}
                  title={m.direction ? `went ${m.direction}` : 'changed'}
                >
                  {m.direction === 'up' ? '▲' : m.direction === 'down' ? '▼' : '◆'}
                </span>{' '}
                <span className="mono">{m.metric}</span>{' '}
                <span className="score">{formatScore(m.score)}</span>{' '}
                <span className="muted small" title={formatTimestamp(m.onset)}>
                  from {formatClock(m.onset)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {logTemplates.length > 0 && (
        <div className="evidence">
          <h5>Logs</h5>
          <ul>
            {logTemplates.map((l) => (
              <li key={l.templateId} data-testid="evidence-log">
                {l.pattern && <span className={`pill pattern-${l.pattern}`}>{l.pattern}</span>}{' '}
                <span className="score">{formatScore(l.score)}</span>
                <code className="template">{l.template}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {alerts.length > 0 && (
        <div className="evidence">
          <h5>Alerts</h5>
          <ul>
            {alerts.map((a) => (
              <li key={a.fingerprint} data-testid="evidence-alert">
                {a.alertname}{' '}
                <span className="muted small" title={formatTimestamp(a.startsAt)}>
                  {formatClock(a.startsAt)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}

// People's corrections of the grouping: merge other incidents into this one, or split chosen
// alerts out into a new incident. The console publishes the request; the correlator applies it
// (the page reloads when its incident events arrive) and learns from it for later alerts.
import { useEffect, useState } from 'react';
import { api, describeError } from '../../api';
import { ActionFeedback, type ActionMessage } from '../../components/ActionFeedback';
import { mergeTargets, regroupState } from '../../lib/regroup';
import type { IncidentView } from '../../lib/types';
import { useSession } from '../../session';

const SCOPE = 'regroup';

export function RegroupSection({ view }: { view: IncidentView }) {
  const { me } = useSession();
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  useEffect(() => {
    setChosen(new Set());
    setMessage(null);
  }, [view.incidentId]);

  const targets = mergeTargets(text, view.incidentId);
  const state = regroupState(
    me.user.role,
    view.mergedInto,
    busy,
    targets,
    chosen.size,
    view.alerts.length,
  );

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ scope: SCOPE, kind: 'done', text: await work() });
    } catch (e) {
      setMessage({ scope: SCOPE, kind: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };
  const merge = () =>
    void run(async () => {
      await api.mergeIncidents(view.incidentId, targets);
      setText('');
      return `Asked to merge ${targets.join(', ')} into this incident`;
    });
  const split = () =>
    void run(async () => {
      const answer = await api.splitIncident(view.incidentId, [...chosen]);
      setChosen(new Set());
      return `Asked to split ${chosen.size} alert(s) into ${answer.feedback.newIncidentId}`;
    });
  const toggle = (fingerprint: string) => {
    const next = new Set(chosen);
    if (next.has(fingerprint)) next.delete(fingerprint);
    else next.add(fingerprint);
    setChosen(next);
  };

  return (
    <section className="card regroup" data-testid="regroup">
      <h2>Grouping wrong?</h2>
      {state.refusal && <p className="small muted">{state.refusal}</p>}
      <div className="regroup-merge">
        <input
          type="text"
          placeholder="incident ids to merge into this one"
          value={text}
          disabled={!!state.refusal}
          onChange={(e) => setText(e.target.value)}
          data-testid="merge-ids"
        />
        <button
          type="button"
          className="btn"
          disabled={!state.canMerge}
          onClick={merge}
          data-testid="merge-button"
        >
          Merge into this incident
        </button>
      </div>
      <ul className="regroup-alerts">
        {view.alerts.map((a) => (
          <li key={a.fingerprint}>
            <label>
              <input
                type="checkbox"
                checked={chosen.has(a.fingerprint)}
                disabled={!!state.refusal}
                onChange={() => toggle(a.fingerprint)}
                data-testid="split-choice"
              />{' '}
              {a.alert ? `${a.alert.alertname} on ${a.alert.service}` : a.fingerprint}
            </label>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="btn"
        disabled={!state.canSplit}
        onClick={split}
        data-testid="split-button"
      >
        Split chosen alerts into a new incident
      </button>
      <ActionFeedback message={message} />
    </section>
  );
}

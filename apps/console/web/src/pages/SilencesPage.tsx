// Silences and maintenance windows: what is in force, a form for each, and expire buttons. The
// API checks roles and input and says what is wrong; the page shows its words.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, describeError, isAbort } from '../api';
import { ActionFeedback, type ActionMessage } from '../components/ActionFeedback';
import { useDocumentTitle } from '../hooks';
import {
  canExpire,
  matchersText,
  shortTime,
  windowRequest,
  windowWhen,
  type SilenceRow,
  type WindowForm,
  type WindowRow,
} from '../lib/silences';

export function SilencesPage() {
  useDocumentTitle('Silences');
  const [silences, setSilences] = useState<SilenceRow[] | null>(null);
  const [windows, setWindows] = useState<WindowRow[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);

  const reload = useCallback(async (signal?: AbortSignal) => {
    try {
      const [s, w] = await Promise.all([api.silences(signal), api.maintenance(signal)]);
      setSilences(s.silences);
      setWindows(w.windows);
      setLoadError(null);
    } catch (error) {
      if (!isAbort(error)) setLoadError(describeError(error));
    }
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    void reload(abort.signal);
    return () => abort.abort();
  }, [reload]);

  /** Runs a change, tells how it went, and reads the lists again. */
  const act = useCallback(
    async (scope: string, run: () => Promise<unknown>, done: string): Promise<boolean> => {
      try {
        await run();
        setMessage({ scope, kind: 'done', text: done });
        await reload();
        return true;
      } catch (error) {
        setMessage({ scope, kind: 'error', text: describeError(error) });
        return false;
      }
    },
    [reload],
  );

  return (
    <div className="page list-page">
      <div className="page-head">
        <h1>Silences and maintenance</h1>
      </div>
      {loadError && (
        <p className="feedback error" role="alert">
          Could not load: {loadError}
        </p>
      )}
      <SilenceForm act={act} />
      {message?.scope === 'silence' && <ActionFeedback message={message} />}
      <SilenceTable rows={silences} act={act} />
      <MaintenanceForm act={act} />
      {message?.scope === 'maintenance' && <ActionFeedback message={message} />}
      <WindowTable rows={windows} act={act} />
    </div>
  );
}

type Act = (scope: string, run: () => Promise<unknown>, done: string) => Promise<boolean>;

function SilenceForm({ act }: { act: Act }) {
  const [matchers, setMatchers] = useState('');
  const [duration, setDuration] = useState('2h');
  const [comment, setComment] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await act(
      'silence',
      () => api.createSilence({ matchers, duration, comment }),
      `Silenced ${matchers} for ${duration}.`,
    );
    if (ok) setMatchers('');
  };
  return (
    <form className="filters" onSubmit={(e) => void submit(e)} data-testid="silence-form">
      <input
        className="input"
        aria-label="matchers"
        placeholder='{service="db", env=~"prod.*"}'
        value={matchers}
        onChange={(e) => setMatchers(e.target.value)}
      />
      <input
        className="input"
        aria-label="duration"
        placeholder="2h"
        value={duration}
        onChange={(e) => setDuration(e.target.value)}
      />
      <input
        className="input"
        aria-label="comment"
        placeholder="why"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <button type="submit" className="btn primary" disabled={!matchers.trim()}>
        Silence
      </button>
    </form>
  );
}

function SilenceTable({ rows, act }: { rows: SilenceRow[] | null; act: Act }) {
  return (
    <div className="card table-card">
      <table className="grid" data-testid="silence-list" aria-busy={rows === null}>
        <thead>
          <tr>
            <th>Matchers</th>
            <th>State</th>
            <th>From</th>
            <th>Until</th>
            <th>By</th>
            <th>Comment</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No silences.
              </td>
            </tr>
          )}
          {rows?.map((row) => (
            <tr key={row.id} className={row.state === 'expired' ? 'incident-row dim' : undefined}>
              <td>
                <code>{matchersText(row.matchers)}</code>
              </td>
              <td>{row.state}</td>
              <td>{shortTime(row.startsAt)}</td>
              <td>{shortTime(row.endsAt)}</td>
              <td>{row.createdBy}</td>
              <td>{row.comment}</td>
              <td>
                {canExpire(row) && (
                  <button
                    type="button"
                    className="btn subtle small"
                    onClick={() =>
                      void act('silence', () => api.expireSilence(row.id), `Expired ${row.id}.`)
                    }
                  >
                    Expire
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const emptyWindow: WindowForm = {
  matchers: '',
  mode: 'suppress',
  recurring: false,
  duration: '2h',
  days: 'sat',
  start: '22:00',
  timeZone: 'UTC',
  comment: '',
};

function MaintenanceForm({ act }: { act: Act }) {
  const [form, setForm] = useState<WindowForm>(emptyWindow);
  const set = (patch: Partial<WindowForm>) => setForm((f) => ({ ...f, ...patch }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await act(
      'maintenance',
      () => api.createMaintenance(windowRequest(form)),
      `Maintenance window for ${form.matchers} created.`,
    );
    if (ok) set({ matchers: '' });
  };
  return (
    <form className="filters" onSubmit={(e) => void submit(e)} data-testid="maintenance-form">
      <input
        className="input"
        aria-label="window matchers"
        placeholder='{cluster="eu-1"}'
        value={form.matchers}
        onChange={(e) => set({ matchers: e.target.value })}
      />
      <select
        className="input"
        aria-label="mode"
        value={form.mode}
        onChange={(e) => set({ mode: e.target.value as WindowForm['mode'] })}
      >
        <option value="suppress">suppress (no incident)</option>
        <option value="open-no-remediate">open, no remediation</option>
      </select>
      <label className="chip">
        <input
          type="checkbox"
          checked={form.recurring}
          onChange={(e) => set({ recurring: e.target.checked })}
        />
        weekly
      </label>
      {form.recurring && (
        <>
          <input
            className="input"
            aria-label="days"
            placeholder="tue, thu"
            value={form.days}
            onChange={(e) => set({ days: e.target.value })}
          />
          <input
            className="input"
            aria-label="start"
            placeholder="22:00"
            value={form.start}
            onChange={(e) => set({ start: e.target.value })}
          />
          <input
            className="input"
            aria-label="time zone"
            placeholder="Europe/Berlin"
            value={form.timeZone}
            onChange={(e) => set({ timeZone: e.target.value })}
          />
        </>
      )}
      <input
        className="input"
        aria-label="window duration"
        placeholder="2h"
        value={form.duration}
        onChange={(e) => set({ duration: e.target.value })}
      />
      <input
        className="input"
        aria-label="window comment"
        placeholder="why"
        value={form.comment}
        onChange={(e) => set({ comment: e.target.value })}
      />
      <button type="submit" className="btn primary" disabled={!form.matchers.trim()}>
        Add window
      </button>
    </form>
  );
}

function WindowTable({ rows, act }: { rows: WindowRow[] | null; act: Act }) {
  return (
    <div className="card table-card">
      <table className="grid" data-testid="maintenance-list" aria-busy={rows === null}>
        <thead>
          <tr>
            <th>Matchers</th>
            <th>Mode</th>
            <th>State</th>
            <th>When</th>
            <th>By</th>
            <th>Comment</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No maintenance windows.
              </td>
            </tr>
          )}
          {rows?.map((row) => (
            <tr key={row.id} className={row.state === 'expired' ? 'incident-row dim' : undefined}>
              <td>
                <code>{matchersText(row.matchers)}</code>
              </td>
              <td>{row.mode}</td>
              <td>{row.state}</td>
              <td>{windowWhen(row)}</td>
              <td>{row.createdBy}</td>
              <td>{row.comment}</td>
              <td>
                {canExpire(row) && (
                  <button
                    type="button"
                    className="btn subtle small"
                    onClick={() =>
                      void act(
                        'maintenance',
                        () => api.expireMaintenance(row.id),
                        `Ended ${row.id}.`,
                      )
                    }
                  >
                    End
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { api } from '../../api';
import { windowRequest, type WindowForm } from '../../lib/silences';
import { MatcherForm, TextField } from './MatcherForm';
import { useMatcherForm } from './useMatcherForm';
import type { Act } from './useSilenceLists';

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

export function MaintenanceForm({ act }: { act: Act }) {
  const { form, set, submit } = useMatcherForm({
    initial: emptyWindow,
    act,
    scope: 'maintenance',
    send: (f) => api.createMaintenance(windowRequest(f)),
    done: (f) => `Maintenance window for ${f.matchers} created.`,
  });
  return (
    <MatcherForm
      testId="maintenance-form"
      matchers={form.matchers}
      submitLabel="Add window"
      onSubmit={submit}
    >
      <TextField
        label="window matchers"
        placeholder='{cluster="eu-1"}'
        value={form.matchers}
        onChange={(matchers) => set({ matchers })}
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
          <TextField
            label="days"
            placeholder="tue, thu"
            value={form.days}
            onChange={(days) => set({ days })}
          />
          <TextField
            label="start"
            placeholder="22:00"
            value={form.start}
            onChange={(start) => set({ start })}
          />
          <TextField
            label="time zone"
            placeholder="Europe/Berlin"
            value={form.timeZone}
            onChange={(timeZone) => set({ timeZone })}
          />
        </>
      )}
      <TextField
        label="window duration"
        placeholder="2h"
        value={form.duration}
        onChange={(duration) => set({ duration })}
      />
      <TextField
        label="window comment"
        placeholder="why"
        value={form.comment}
        onChange={(comment) => set({ comment })}
      />
    </MatcherForm>
  );
}

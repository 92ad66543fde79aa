import { api } from '../../api';
import { windowRequest, type WindowForm } from '../../lib/silences';
import { MatcherForm, TextFields, type TextSpec } from './MatcherForm';
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

const matcherFields: TextSpec<WindowForm>[] = [
  { name: 'matchers', label: 'window matchers', placeholder: '{cluster="eu-1"}' },
];
const weeklyFields: TextSpec<WindowForm>[] = [
  { name: 'days', label: 'days', placeholder: 'tue, thu' },
  { name: 'start', label: 'start', placeholder: '22:00' },
  { name: 'timeZone', label: 'time zone', placeholder: 'Europe/Berlin' },
];
const lastFields: TextSpec<WindowForm>[] = [
  { name: 'duration', label: 'window duration', placeholder: '2h' },
  { name: 'comment', label: 'window comment', placeholder: 'why' },
];

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
      <TextFields fields={matcherFields} form={form} set={set} />
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
      {form.recurring && <TextFields fields={weeklyFields} form={form} set={set} />}
      <TextFields fields={lastFields} form={form} set={set} />
    </MatcherForm>
  );
}

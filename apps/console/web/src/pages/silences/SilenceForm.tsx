import { api } from '../../api';
import { MatcherForm, TextFields, type TextSpec } from './MatcherForm';
import { useMatcherForm } from './useMatcherForm';
import type { Act } from './useSilenceLists';

interface SilenceFields {
  matchers: string;
  duration: string;
  comment: string;
}

const emptySilence: SilenceFields = { matchers: '', duration: '2h', comment: '' };

const fields: TextSpec<SilenceFields>[] = [
  { name: 'matchers', label: 'matchers', placeholder: '{service="db", env=~"prod.*"}' },
  { name: 'duration', label: 'duration', placeholder: '2h' },
  { name: 'comment', label: 'comment', placeholder: 'why' },
];

export function SilenceForm({ act }: { act: Act }) {
  const { form, set, submit } = useMatcherForm({
    initial: emptySilence,
    act,
    scope: 'silence',
    send: (f) => api.createSilence(f),
    done: (f) => `Silenced ${f.matchers} for ${f.duration}.`,
  });
  return (
    <MatcherForm
      testId="silence-form"
      matchers={form.matchers}
      submitLabel="Silence"
      onSubmit={submit}
    >
      <TextFields fields={fields} form={form} set={set} />
    </MatcherForm>
  );
}

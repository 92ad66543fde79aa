import { api } from '../../api';
import { MatcherForm, TextField } from './MatcherForm';
import { useMatcherForm } from './useMatcherForm';
import type { Act } from './useSilenceLists';

export function SilenceForm({ act }: { act: Act }) {
  const { form, set, submit } = useMatcherForm({
    initial: { matchers: '', duration: '2h', comment: '' },
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
      <TextField
        label="matchers"
        placeholder='{service="db", env=~"prod.*"}'
        value={form.matchers}
        onChange={(matchers) => set({ matchers })}
      />
      <TextField
        label="duration"
        placeholder="2h"
        value={form.duration}
        onChange={(duration) => set({ duration })}
      />
      <TextField
        label="comment"
        placeholder="why"
        value={form.comment}
        onChange={(comment) => set({ comment })}
      />
    </MatcherForm>
  );
}

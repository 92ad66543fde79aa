import { useState } from 'react';
import type { Act } from './useSilenceLists';

/**
 * A form's values, and a submit that sends them under `scope` and, once the change is made,
 * empties the matchers (the other values are often wanted again).
 */
export function useMatcherForm<Form extends { matchers: string }>(options: {
  initial: Form;
  act: Act;
  scope: string;
  send: (form: Form) => Promise<unknown>;
  done: (form: Form) => string;
}) {
  const [form, setForm] = useState<Form>(options.initial);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const submit = async () => {
    const ok = await options.act(options.scope, () => options.send(form), options.done(form));
    if (ok) set({ matchers: '' } as Partial<Form>);
  };
  return { form, set, submit };
}

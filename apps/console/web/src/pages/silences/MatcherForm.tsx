// What both policy forms are made of: a frame whose submit button stays off until matchers are
// typed, and text boxes described as data (name, label, example).
import type { FormEvent, ReactNode } from 'react';

export function MatcherForm(props: {
  testId: string;
  matchers: string;
  submitLabel: string;
  onSubmit: () => Promise<unknown>;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void props.onSubmit();
  };
  return (
    <form className="filters" onSubmit={submit} data-testid={props.testId}>
      {props.children}
      <button type="submit" className="btn primary" disabled={!props.matchers.trim()}>
        {props.submitLabel}
      </button>
    </form>
  );
}

/** The names of a form's text values. */
type TextKey<Form> = { [K in keyof Form]: Form[K] extends string ? K : never }[keyof Form] & string;

/** A text box of a form: which value it edits, its accessible name, and an example. */
export interface TextSpec<Form> {
  name: TextKey<Form>;
  label: string;
  placeholder: string;
}

/** Labelled text boxes, one for each spec, editing the form's values. */
export function TextFields<Form>(props: {
  fields: readonly TextSpec<Form>[];
  form: Form;
  set: (patch: Partial<Form>) => void;
}) {
  return props.fields.map((field) => (
    <input
      key={field.name}
      className="input"
      aria-label={field.label}
      placeholder={field.placeholder}
      value={props.form[field.name] as string}
      onChange={(e) => props.set({ [field.name]: e.target.value } as Partial<Form>)}
    />
  ));
}

// The frame both policy forms share: the fields a caller gives, and a submit button that stays
// off until matchers are typed.
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

/** A labelled text box of a form. */
export function TextField(props: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <input
      className="input"
      aria-label={props.label}
      placeholder={props.placeholder}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

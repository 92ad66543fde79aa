// A labelled text field of the filter bar: typing applies after a pause, Enter at once.
import type { ReactNode } from 'react';

interface Props {
  label: string;
  type: 'text' | 'search';
  placeholder: string;
  value: string;
  testId: string;
  onType: (text: string) => void;
  onEnter: () => void;
  /** The id of a datalist of suggestions. */
  list?: string;
  /** The field takes the room left in the bar. */
  grow?: boolean;
  children?: ReactNode;
}

export function TextFilter(props: Props) {
  const { label, type, placeholder, value, testId, onType, onEnter, list, grow, children } = props;
  return (
    <label className={grow ? 'filter-field grow' : 'filter-field'}>
      <span>{label}</span>
      <input
        className="input"
        type={type}
        placeholder={placeholder}
        list={list}
        value={value}
        onChange={(e) => onType(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onEnter();
        }}
        data-testid={testId}
      />
      {children}
    </label>
  );
}

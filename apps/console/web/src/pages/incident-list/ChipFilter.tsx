// A group of checkbox chips (status, severity): none checked means any.

interface Props<T extends string> {
  legend: string;
  testId: string;
  values: readonly T[];
  selected: readonly T[];
  onToggle: (value: T) => void;
  /** An extra class per chip (e.g. its severity's colour). */
  chipClass?: (value: T) => string;
}

export function ChipFilter<T extends string>(props: Props<T>) {
  const { legend, testId, values, selected, onToggle, chipClass } = props;
  return (
    <fieldset className="filter-group" data-testid={testId}>
      <legend>{legend}</legend>
      {values.map((v) => (
        <label
          key={v}
          className={`chip${chipClass ? ` ${chipClass(v)}` : ''}${selected.includes(v) ? ' on' : ''}`}
        >
          <input
            type="checkbox"
            value={v}
            checked={selected.includes(v)}
            onChange={() => onToggle(v)}
          />
          {v}
        </label>
      ))}
    </fieldset>
  );
}

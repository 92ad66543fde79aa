// The time filter: any time, a window relative to now, or a custom since/until window.
import { RANGE_PRESETS, type IncidentFilters, type RangePreset } from '../../lib/filters';
import { rangeChoice } from '../../lib/filter-controls';
import { fromLocalInputValue, toLocalInputValue } from '../../lib/format';

interface Props {
  filters: IncidentFilters;
  setFilters: (next: IncidentFilters) => void;
  /** "Custom range…" was picked, though no since/until is set yet. */
  customOpen: boolean;
  setCustomOpen: (open: boolean) => void;
}

function DateTimeField(props: {
  label: string;
  iso: string;
  testId: string;
  onPick: (iso: string) => void;
}) {
  return (
    <label className="filter-field">
      <span>{props.label}</span>
      <input
        className="input"
        type="datetime-local"
        value={toLocalInputValue(props.iso)}
        onChange={(e) => props.onPick(fromLocalInputValue(e.target.value))}
        data-testid={props.testId}
      />
    </label>
  );
}

export function TimeRangeFilter({ filters, setFilters, customOpen, setCustomOpen }: Props) {
  const custom = customOpen || rangeChoice(filters) === 'custom';
  return (
    <>
      <label className="filter-field">
        <span>Time</span>
        <select
          className="input"
          value={custom ? 'custom' : rangeChoice(filters)}
          onChange={(e) => {
            const value = e.target.value;
            setCustomOpen(value === 'custom');
            if (value === 'custom') return;
            setFilters({ ...filters, range: value as RangePreset | '', since: '', until: '' });
          }}
          data-testid="filter-range"
        >
          <option value="">Any time</option>
          {RANGE_PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom range…</option>
        </select>
      </label>
      {custom && (
        <>
          <DateTimeField
            label="Since"
            iso={filters.since}
            testId="filter-since"
            onPick={(since) => setFilters({ ...filters, range: '', since })}
          />
          <DateTimeField
            label="Until"
            iso={filters.until}
            testId="filter-until"
            onPick={(until) => setFilters({ ...filters, range: '', until })}
          />
        </>
      )}
    </>
  );
}

// The list's filters: status and severity chips, service, time window, free text, and a button
// that clears them all.
import { useState } from 'react';
import { emptyFilters, hasActiveFilters, type IncidentFilters } from '../../lib/filters';
import { rangeChoice, toggleInOrder } from '../../lib/filter-controls';
import { SEVERITIES, STATUSES } from '../../lib/types';
import { ChipFilter } from './ChipFilter';
import { TextFilter } from './TextFilter';
import { TimeRangeFilter } from './TimeRangeFilter';
import { useFilterText } from './useFilterText';

interface Props {
  filters: IncidentFilters;
  setFilters: (next: IncidentFilters) => void;
  /** Suggestions for the service field. */
  knownServices: readonly string[];
}

export function IncidentFilterBar({ filters, setFilters, knownServices }: Props) {
  const text = useFilterText(filters, setFilters);
  const [customOpen, setCustomOpen] = useState(rangeChoice(filters) === 'custom');
  const clear = () => {
    text.reset();
    setCustomOpen(false);
    setFilters(emptyFilters());
  };
  return (
    <div className="filters" role="search">
      <ChipFilter
        legend="Status"
        testId="filter-status"
        values={STATUSES}
        selected={filters.status}
        onToggle={(s) =>
          setFilters({ ...filters, status: toggleInOrder(filters.status, s, STATUSES) })
        }
      />
      <ChipFilter
        legend="Severity"
        testId="filter-severity"
        values={SEVERITIES}
        selected={filters.severity}
        chipClass={(s) => `sev-chip-${s}`}
        onToggle={(s) =>
          setFilters({ ...filters, severity: toggleInOrder(filters.severity, s, SEVERITIES) })
        }
      />
      <TextFilter
        label="Service"
        type="text"
        placeholder="exact name"
        list="known-services"
        value={text.serviceText}
        testId="filter-service"
        onType={text.typeService}
        onEnter={text.submitService}
      >
        <datalist id="known-services">
          {knownServices.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </TextFilter>
      <TimeRangeFilter
        filters={filters}
        setFilters={setFilters}
        customOpen={customOpen}
        setCustomOpen={setCustomOpen}
      />
      <TextFilter
        label="Search"
        type="search"
        placeholder="title, service, alert, root cause…"
        value={text.searchText}
        testId="filter-search"
        onType={text.typeSearch}
        onEnter={text.submitSearch}
        grow
      />
      {hasActiveFilters(filters) && (
        <button type="button" className="btn subtle" onClick={clear} data-testid="filter-clear">
          Clear filters
        </button>
      )}
    </div>
  );
}

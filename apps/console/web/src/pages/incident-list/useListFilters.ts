// The list's filters live in the page URL: read from its query, written back by replacing it
// (filtering is no step to go back through).
import { useCallback, useEffect, useMemo } from 'react';
import { filtersToSearch, parseFilters, type IncidentFilters } from '../../lib/filters';
import { navigate, remembered, useLocation } from '../../router';

export function useListFilters(): {
  filters: IncidentFilters;
  setFilters: (next: IncidentFilters) => void;
} {
  const { search } = useLocation();
  const filters = useMemo(() => parseFilters(search), [search]);
  const filtersKey = filtersToSearch(filters);

  // "← Incidents" on an incident page comes back to these filters
  useEffect(() => {
    remembered.listSearch = filtersKey;
  }, [filtersKey]);

  const setFilters = useCallback((next: IncidentFilters) => {
    navigate(`/${filtersToSearch(next)}`, { replace: true });
  }, []);
  return { filters, setFilters };
}

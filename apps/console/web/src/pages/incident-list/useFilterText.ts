// The list's text filters (service, search) follow typing after a pause, so each keystroke does
// not fetch; Enter applies at once. Edits of both fields within one pause are applied together.
import { useEffect, useRef, useState } from 'react';
import { useLatest } from '../../hooks';
import type { IncidentFilters } from '../../lib/filters';

const TYPING_DELAY_MS = 300;

export interface FilterText {
  serviceText: string;
  searchText: string;
  typeService: (text: string) => void;
  typeSearch: (text: string) => void;
  /** Enter in the service field. */
  submitService: () => void;
  /** Enter in the search field. */
  submitSearch: () => void;
  /** Empties both fields and drops typing not applied yet. */
  reset: () => void;
}

export function useFilterText(
  filters: IncidentFilters,
  setFilters: (next: IncidentFilters) => void,
): FilterText {
  const latestFilters = useLatest(filters);
  const [serviceText, setServiceText] = useState(filters.service);
  const [searchText, setSearchText] = useState(filters.q);
  // the URL changed otherwise (back, a link): the fields show it, unless they already mean it
  useEffect(() => {
    setServiceText((text) => (text.trim() === filters.service ? text : filters.service));
  }, [filters.service]);
  useEffect(() => {
    setSearchText((text) => (text.trim() === filters.q.trim() ? text : filters.q));
  }, [filters.q]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef<Partial<IncidentFilters>>({});
  useEffect(() => () => clearTimeout(timer.current), []);
  const typed = (patch: Partial<IncidentFilters>, immediately = false) => {
    clearTimeout(timer.current);
    pending.current = { ...pending.current, ...patch };
    const apply = () => {
      const patches = pending.current;
      pending.current = {};
      setFilters({ ...latestFilters.current, ...patches });
    };
    if (immediately) apply();
    else timer.current = setTimeout(apply, TYPING_DELAY_MS);
  };

  return {
    serviceText,
    searchText,
    typeService: (text) => {
      setServiceText(text);
      typed({ service: text.trim() });
    },
    typeSearch: (text) => {
      setSearchText(text);
      typed({ q: text });
    },
    submitService: () => typed({ service: serviceText.trim() }, true),
    submitSearch: () => typed({ q: searchText }, true),
    reset: () => {
      clearTimeout(timer.current);
      pending.current = {};
      setServiceText('');
      setSearchText('');
    },
  };
}

// The incident list's rows for the filters: fetched when the filters change or the stream
// (re)connects, and kept current by the stream in between without a fetch per change.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError, isAbort } from '../../api';
import { useLatest } from '../../hooks';
import { applyStreamedIncident, filtersToApiQuery, filtersToSearch } from '../../lib/filters';
import type { IncidentFilters } from '../../lib/filters';
import { rowsFromAnswer } from '../../lib/incident-rows';
import type { IncidentListItem } from '../../lib/types';
import { useIncidentStream } from '../../stream';
import { useFlashing } from './useFlashing';

/** A streamed row the client cannot place (it may match the search through its alerts). */
const REFETCH_DELAY_MS = 500;

export interface IncidentList {
  /** null until the first answer. */
  rows: IncidentListItem[] | null;
  loading: boolean;
  loadError: string | null;
  /** Rows that changed a moment ago. */
  flashing: ReadonlySet<string>;
  reload: () => Promise<void>;
}

export function useIncidentList(filters: IncidentFilters): IncidentList {
  const filtersKey = filtersToSearch(filters);
  const latestFilters = useLatest(filters);
  const [rows, setRowsState] = useState<IncidentListItem[] | null>(null);
  const rowsRef = useRef<IncidentListItem[] | null>(null);
  const setRows = (list: IncidentListItem[] | null) => {
    rowsRef.current = list;
    setRowsState(list);
  };
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const loadSeq = useRef(0);
  const inFlight = useRef<AbortController | null>(null);
  // rows streamed while a fetch is in flight: applied on top of its (older) answer
  const streamedDuringLoad = useRef(new Map<string, IncidentListItem>());

  const load = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const seq = ++loadSeq.current;
    streamedDuringLoad.current = new Map();
    setLoading(true);
    try {
      const f = latestFilters.current;
      const answer = await api.incidents(filtersToApiQuery(f, Date.now()), controller.signal);
      if (seq !== loadSeq.current) return;
      const streamed = streamedDuringLoad.current.values();
      setRows(rowsFromAnswer(answer, streamed, latestFilters.current, Date.now()));
      setLoadError(null);
    } catch (e) {
      if (isAbort(e) || seq !== loadSeq.current) return;
      setLoadError(describeError(e));
    } finally {
      if (seq === loadSeq.current) {
        setLoading(false);
        inFlight.current = null;
      }
    }
  }, [latestFilters]);

  useEffect(() => {
    void load();
  }, [filtersKey, load]);
  useEffect(() => () => inFlight.current?.abort(), []);

  const { flashing, flash } = useFlashing();
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(refetchTimer.current), []);

  useIncidentStream({
    onIncident: (item) => {
      if (inFlight.current) streamedDuringLoad.current.set(item.incidentId, item);
      const current = rowsRef.current;
      if (!current) return;
      const result = applyStreamedIncident(current, item, latestFilters.current, Date.now());
      setRows(result.list);
      if (result.changed) flash(item.incidentId);
      if (result.refetch) {
        clearTimeout(refetchTimer.current);
        refetchTimer.current = setTimeout(() => void load(), REFETCH_DELAY_MS);
      }
    },
    onReady: () => void load(),
  });

  return { rows, loading, loadError, flashing, reload: load };
}

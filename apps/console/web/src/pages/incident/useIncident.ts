// One incident and its topology, fetched together; a newer fetch wins over an older one still
// on its way. A missing topology (404) is no error: the page says there is none.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, describeError, isAbort } from '../../api';
import type { IncidentTopology, IncidentView } from '../../lib/types';

export interface IncidentLoadError {
  status: number;
  message: string;
}

export interface IncidentData {
  view: IncidentView | null;
  topology: IncidentTopology | null;
  topologyError: string | null;
  loadError: IncidentLoadError | null;
  /** Fetches both again (after an action, a change on the stream, or a Retry click). */
  reload: () => Promise<void>;
}

export function useIncident(id: string): IncidentData {
  const [view, setView] = useState<IncidentView | null>(null);
  const [topology, setTopology] = useState<IncidentTopology | null>(null);
  const [topologyError, setTopologyError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<IncidentLoadError | null>(null);

  const seq = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const reload = useCallback(async () => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    const mine = ++seq.current;
    const [viewResult, topologyResult] = await Promise.allSettled([
      api.incident(id, c.signal),
      api.topology(id, c.signal),
    ]);
    if (mine !== seq.current) return;
    if (viewResult.status === 'fulfilled') {
      setView(viewResult.value);
      setLoadError(null);
    } else if (!isAbort(viewResult.reason)) {
      const e = viewResult.reason;
      setLoadError({ status: e instanceof ApiError ? e.status : 0, message: describeError(e) });
    }
    if (topologyResult.status === 'fulfilled') {
      setTopology(topologyResult.value);
      setTopologyError(null);
    } else if (!isAbort(topologyResult.reason)) {
      const e = topologyResult.reason;
      const missing = e instanceof ApiError && e.status === 404;
      setTopologyError(missing ? null : describeError(e));
      if (missing) setTopology(null);
    }
  }, [id]);

  useEffect(() => {
    setView(null);
    setTopology(null);
    setLoadError(null);
    setTopologyError(null);
    void reload();
    return () => controller.current?.abort();
  }, [reload]);

  return { view, topology, topologyError, loadError, reload };
}

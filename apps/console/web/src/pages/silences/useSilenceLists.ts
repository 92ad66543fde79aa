import { useCallback, useEffect, useState } from 'react';
import { api, describeError, isAbort } from '../../api';
import type { ActionMessage } from '../../components/ActionFeedback';
import type { SilenceRow, WindowRow } from '../../lib/silences';

/** Runs a change under a scope (which form's feedback shows it), then reads the lists again. */
export type Act = (scope: string, run: () => Promise<unknown>, done: string) => Promise<boolean>;

/** The silences and windows in force, read at mount and again after every change. */
export function useSilenceLists() {
  const [silences, setSilences] = useState<SilenceRow[] | null>(null);
  const [windows, setWindows] = useState<WindowRow[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);

  const reload = useCallback(async (signal?: AbortSignal) => {
    try {
      const [s, w] = await Promise.all([api.silences(signal), api.maintenance(signal)]);
      setSilences(s.silences);
      setWindows(w.windows);
      setLoadError(null);
    } catch (error) {
      if (!isAbort(error)) setLoadError(describeError(error));
    }
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    void reload(abort.signal);
    return () => abort.abort();
  }, [reload]);

  const act: Act = useCallback(
    async (scope, run, done) => {
      try {
        await run();
        setMessage({ scope, kind: 'done', text: done });
        await reload();
        return true;
      } catch (error) {
        setMessage({ scope, kind: 'error', text: describeError(error) });
        return false;
      }
    },
    [reload],
  );

  return { silences, windows, loadError, message, act };
}

// Keeps one incident page current: the stream says which incident changed, and a change of this
// one fetches it again. A reconnected stream may have missed changes, so it fetches too.
import { useEffect, useRef } from 'react';
import { useIncidentStream } from '../../stream';

const BURST_MS = 150;

export function useIncidentLiveReload(id: string, reload: () => Promise<void>): void {
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(reloadTimer.current), [id]);
  useIncidentStream({
    onIncident: (item) => {
      if (item.incidentId !== id) return;
      // a burst of changes (alerts, rca, plan, executor) becomes one fetch
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(() => void reload(), BURST_MS);
    },
    onReady: () => void reload(),
  });
}

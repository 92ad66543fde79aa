// What a user can do on the incident page: acknowledge, resolve, approve or reject a plan. One
// action at a time; its outcome is shown beside the buttons that started it.
import { useEffect, useState } from 'react';
import { api, describeError } from '../../api';
import type { ActionMessage } from '../../components/ActionFeedback';
import { doneText } from '../../lib/incident-actions';
import { useSession } from '../../session';

/** The scope of the incident's own buttons; a plan's buttons use the plan id. */
export const INCIDENT_SCOPE = 'incident';

export interface IncidentActions {
  /** An action is running: every action button waits. */
  busy: boolean;
  message: ActionMessage | null;
  acknowledge: () => void;
  resolve: () => void;
  decide: (planId: string, decision: 'approve' | 'reject', reason: string) => void;
}

export function useIncidentActions(id: string, reload: () => Promise<void>): IncidentActions {
  const { me } = useSession();
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setMessage(null), [id]);

  const act = async (scope: string, run: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      const text = await run();
      setMessage({ scope, kind: 'done', text });
      void reload();
    } catch (e) {
      setMessage({ scope, kind: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };

  const acknowledge = () =>
    void act(INCIDENT_SCOPE, async () => {
      const answer = await api.acknowledge(id);
      return doneText('acknowledge', answer?.action?.by?.displayName, me.user.name);
    });
  const resolve = () =>
    void act(INCIDENT_SCOPE, async () => {
      const answer = await api.resolve(id);
      return doneText('resolve', answer?.action?.by?.displayName, me.user.name);
    });
  const decide = (planId: string, decision: 'approve' | 'reject', reason: string) =>
    void act(planId, async () => {
      const answer = await api.decide(planId, decision, reason || undefined);
      return doneText(decision, answer?.decision?.by?.displayName, me.user.name);
    });

  return { busy, message, acknowledge, resolve, decide };
}

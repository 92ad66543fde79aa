import type { Kafka } from 'kafkajs';
import { Topics, type IncidentEvent, type RemediationExecution } from '@vigil/contracts';
import { acknowledgement, approval } from '@vigil/incident-view/testing';
import { startGroupAtEnd } from '../support/group-offsets';
import { startService, type ServiceProcess } from '../support/service-process';
import { incidentStory } from '../console/console-fixtures';

/** The topics topology-sync's history writer folds into the incident store. */
export const historyTopics = [
  Topics.incidents,
  Topics.rca,
  Topics.remediationPlans,
  Topics.remediationDecisions,
  Topics.remediationExecutions,
  Topics.incidentActions,
];

/**
 * An incident handled to its end: the incident story (`inc-<prefix>`: opened, root cause, plan),
 * acknowledged by rita via Slack 1 s in, the plan approved by ann 2 s in and completed 3 s in,
 * the incident resolved 4 s in.
 */
export function handledIncident(prefix: string) {
  const story = incidentStory(prefix, `inc-${prefix}`);
  const incidentId = story.opened.incidentId;
  const planId = story.plan.planId;
  const later = (ms: number) => new Date(Date.parse(story.opened.at) + ms).toISOString();

  const decision = approval(later(2_000), { decisionId: `${prefix}-d1`, planId });
  const completed: RemediationExecution = {
    schemaVersion: 1,
    eventId: `${prefix}-x1`,
    planId,
    incidentId,
    type: 'plan-completed',
    at: later(3_000),
    detail: {},
  };
  const ack = acknowledgement(later(1_000), {
    actionId: `${prefix}-a1`,
    incidentId,
    via: 'slack',
    note: 'looking at the pool',
  });
  const resolved: IncidentEvent = {
    schemaVersion: 1,
    eventId: `${incidentId}:2`,
    incidentId,
    at: later(4_000),
    type: 'resolved',
    incident: { ...story.opened.incident, status: 'resolved', updatedAt: later(4_000) },
  };
  return { story, incidentId, planId, decision, completed, ack, resolved };
}

/**
 * Starts topology-sync on `port` with groups of its own, started at the topics' end: the store
 * gets this run's events, not the broker's past.
 */
export async function startHistoryWriter(
  kafka: Kafka,
  port: number,
  groups: { history: string; topology: string },
): Promise<ServiceProcess> {
  await startGroupAtEnd(kafka, groups.history, historyTopics);
  await startGroupAtEnd(kafka, groups.topology, [Topics.topology, Topics.spans]);
  return startService(
    'topology-sync',
    {
      TOPOLOGY_SYNC_PORT: String(port),
      TOPOLOGY_SYNC_GROUP: groups.topology,
      TOPOLOGY_SYNC_HISTORY_GROUP: groups.history,
      LOG_LEVEL: 'warn',
    },
    port,
  );
}

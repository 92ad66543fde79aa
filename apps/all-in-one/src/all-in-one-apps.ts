/* eslint-disable @nx/enforce-module-boundaries --
   all-in-one is the one place that composes the apps themselves: it runs each app's own start,
   unchanged, in one process. */
import { chatopsApp } from '../../chatops/src/chatops.app';
import { consoleApp } from '../../console/src/console.app';
import { correlatorApp } from '../../correlator/src/correlator.app';
import { executorApp } from '../../executor/src/executor.app';
import { ingestApp } from '../../ingest/src/ingest.app';
import { modelGatewayApp } from '../../model-gateway/src/model-gateway.app';
import { notifierApp } from '../../notifier/src/notifier.app';
import { plannerApp } from '../../planner/src/planner.app';
import { rcaApp } from '../../rca/src/rca.app';
import { rulerApp } from '../../ruler/src/ruler.app';
import { signalsApp } from '../../signals/src/signals.app';
import { topologySyncApp } from '../../topology-sync/src/topology-sync.app';

/** Every Vigil service, in the order they start (producers of a topic after its consumers). */
export const allApps = {
  'topology-sync': topologySyncApp,
  'model-gateway': modelGatewayApp,
  correlator: correlatorApp,
  signals: signalsApp,
  rca: rcaApp,
  planner: plannerApp,
  executor: executorApp,
  console: consoleApp,
  chatops: chatopsApp,
  notifier: notifierApp,
  ingest: ingestApp,
  ruler: rulerApp,
} as const;
export type AppName = keyof typeof allApps;

/** Slack needs a workspace and the notifier a routes file: they run only when asked for. */
export const defaultApps: readonly AppName[] = (Object.keys(allApps) as AppName[]).filter(
  (name) => name !== 'chatops' && name !== 'notifier',
);

/** The apps named in ALL_IN_ONE_APPS (comma list), or why the list is wrong. */
export function chooseApps(list: string | undefined): AppName[] {
  if (!list) return [...defaultApps];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in allApps));
  if (unknown.length > 0)
    throw new Error(
      `ALL_IN_ONE_APPS: no app ${unknown.join(', ')}; the apps are ${Object.keys(allApps).join(', ')}`,
    );
  return (Object.keys(allApps) as AppName[]).filter((n) => names.includes(n));
}

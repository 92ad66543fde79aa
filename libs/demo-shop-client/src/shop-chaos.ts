import type { Scenario } from '@vigil/demo-shop';
import { callInstance, liveInstances, type ShopAddress } from './shop-instances';

export interface ExecutorAccess {
  /** e.g. http://127.0.0.1:3109 */
  url: string;
  /** EXECUTOR_ADMIN_TOKEN */
  token?: string;
}

export interface InjectionReport {
  scenario: Scenario;
  /** The instances told, or the deployment made. */
  touched: string[];
  at: string;
}

/**
 * Injects a scenario into a running shop: faults and crashes through each instance's admin API,
 * a bad release through the executor that runs the processes (as a delivery pipeline would).
 */
export async function injectFault(
  scenario: Scenario,
  at: ShopAddress,
  executor: ExecutorAccess,
): Promise<InjectionReport> {
  const report = (touched: string[]) => ({ scenario, touched, at: new Date().toISOString() });
  const action = scenario.action;
  if (action.kind === 'deploy') {
    const target = `${at.prefix}${scenario.service}`;
    const response = await fetch(
      `${executor.url}/api/v1/local-process/${encodeURIComponent(target)}/deployments`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(executor.token && { authorization: `Bearer ${executor.token}` }),
        },
        body: JSON.stringify({ version: action.version }),
      },
    );
    if (response.status !== 202)
      throw new Error(
        `deploying ${target} ${action.version}: ${response.status} ${await response.text()}`,
      );
    return report([`${target}@${action.version}`]);
  }
  const instances = await liveInstances(scenario.service, at);
  if (instances.length === 0) throw new Error(`no instance of ${scenario.service} answers`);
  for (const { port } of instances) {
    const answer =
      action.kind === 'crash'
        ? await callInstance(port, 'POST', '/admin/crash')
        : await callInstance(port, 'POST', '/admin/faults', action.faults);
    if (!answer || answer.status >= 300)
      throw new Error(`${scenario.service} on ${port} refused: ${JSON.stringify(answer?.json)}`);
  }
  return report(instances.map((i) => `${scenario.service}:${i.port}`));
}

/** Takes every injected fault off a service's instances (not a deploy or a crash: those stay). */
export async function clearFaults(service: string, at: ShopAddress): Promise<number> {
  const instances = await liveInstances(service, at);
  await Promise.all(instances.map(({ port }) => callInstance(port, 'DELETE', '/admin/faults')));
  return instances.length;
}

import type { Scenario } from '@vigil/demo-shop';
import { LoadSpike } from './load-spike';
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
  /** A load spike runs in this process until its time is up: stop() ends it sooner. */
  spike?: LoadSpike;
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
    await deployRelease(target, action.version, executor);
    return report([`${target}@${action.version}`]);
  }
  if (action.kind === 'load-spike') {
    const spike = new LoadSpike(scenario.service, action.rps, action.seconds, at);
    await spike.start();
    return { ...report([`${scenario.service}:${action.rps}rps`]), spike };
  }
  const instances = await liveInstances(scenario.service, at);
  if (instances.length === 0) throw new Error(`no instance of ${scenario.service} answers`);
  if (action.kind === 'persist') {
    // the data dir is the service's, shared by its instances: one of them writes it
    const first = instances[0] as { port: number };
    const answer = await callInstance(first.port, 'POST', '/admin/persisted-faults', action.fault);
    if (!answer || answer.status >= 300)
      throw new Error(
        `${scenario.service} on ${first.port} refused: ${JSON.stringify(answer?.json)}`,
      );
    return report([`${scenario.service}:${first.port}`]);
  }
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

/** A release through the executor that runs the processes, as a delivery pipeline would. */
export async function deployRelease(
  target: string,
  version: string,
  executor: ExecutorAccess,
): Promise<void> {
  const response = await fetch(
    `${executor.url}/api/v1/local-process/${encodeURIComponent(target)}/deployments`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(executor.token && { authorization: `Bearer ${executor.token}` }),
      },
      body: JSON.stringify({ version }),
    },
  );
  if (response.status !== 202)
    throw new Error(`deploying ${target} ${version}: ${response.status} ${await response.text()}`);
}

/**
 * Puts a service back on its good release when an instance still runs another one: what a
 * pipeline's own rollback does when Vigil's guardrails (rightly) refused to roll back again.
 * True when it deployed.
 */
export async function restoreRelease(
  service: string,
  at: ShopAddress,
  executor: ExecutorAccess,
  version = 'v1',
): Promise<boolean> {
  const instances = await liveInstances(service, at);
  if (instances.every((i) => i.version === undefined || i.version === version)) return false;
  await deployRelease(`${at.prefix}${service}`, version, executor);
  return true;
}

/** Takes every injected fault off a service's instances (not a deploy or a crash: those stay). */
export async function clearFaults(service: string, at: ShopAddress): Promise<number> {
  const instances = await liveInstances(service, at);
  await Promise.all(instances.map(({ port }) => callInstance(port, 'DELETE', '/admin/faults')));
  return instances.length;
}

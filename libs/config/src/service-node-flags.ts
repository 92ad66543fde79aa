/**
 * The services that only steer (rules, plans, guardrails, people's screens, messages out): they
 * allocate little, but V8 still grows a process's young generation whenever enough objects have
 * survived its collections since the last growth, so over an hour each one's grew to the default
 * 32 MiB (two semi-spaces of 16), a step of its resident memory long after start. Capped at 8 MiB,
 * they collect their young objects a little more often and keep the rest. The data path (ingest,
 * correlator, signals, rca, and topology-sync, which reads every span and writes the incident
 * store), the model gateway and the all-in-one process keep V8's default: a small young
 * generation costs throughput where much is allocated.
 */
const controlPlane = new Set(['ruler', 'executor', 'planner', 'console', 'chatops', 'notifier']);

/** The V8 flags `node` runs the service with, wherever it is started (scripts, benches, tests). */
export function serviceNodeFlags(service: string): string[] {
  return controlPlane.has(service) ? ['--max-semi-space-size=4'] : [];
}

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `teardown` when the process is told to stop, then lets the signal end it as it would have.
 *
 * Jest runs its global teardown only when a run ends by itself. A run stopped by a signal (Ctrl-C,
 * a CI job's timeout, `kill` of `npm test`) would leave what the global setup started: the tests'
 * Kafka and Neo4j run detached from the terminal and keep their ports and a few GiB of memory.
 * The first SIGINT, SIGTERM or SIGHUP runs `teardown` once; the signal is then raised again, so
 * the exit status says which signal stopped the run (128 + its number), as without the handler.
 */
export function teardownOnSignal(teardown: () => Promise<void> | void): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return; // a second Ctrl-C while the infra stops: the first one is being handled
    stopping = true;
    void Promise.resolve()
      .then(teardown)
      .catch((error: unknown) =>
        console.error(`[vigil tests] stopping the tests' infra failed: ${String(error)}`),
      )
      .finally(() => {
        for (const s of stopSignals) process.removeListener(s, onSignal);
        process.kill(process.pid, signal);
      });
  };
  for (const s of stopSignals) process.on(s, onSignal);
}

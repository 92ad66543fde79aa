import { constants } from 'node:os';

/** The signals that ask a process to stop. */
export const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The status a shell gives a process a signal killed: 128 + the signal's number. */
export function signalExitStatus(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/**
 * Runs `stop` when the process is told to stop (SIGINT, SIGTERM, SIGHUP), then exits with the
 * status a shell gives a process killed by that signal: 128 + its number (130 for Ctrl-C, 143 for
 * SIGTERM, 129 for SIGHUP). Returns a function that takes the handlers away again.
 *
 * Why: what a process started does not stop with it. Jest runs its global teardown only for a run
 * that ends by itself, so a test run stopped by Ctrl-C, a CI job's timeout or `kill` would leave
 * the tests' Kafka and Neo4j running detached, with their ports and a few GiB of memory; a
 * bench's services are its children and would run on without it, holding their ports.
 *
 * Why exit with 128 + n instead of raising the signal again: `process.exit` runs the process's
 * 'exit' hooks, and a process ended by a signal runs none. The benches stop their Kafka and Neo4j
 * in one (bench/support/local-infra.ts); a helper that re-raised the signal left them running
 * after a SIGTERM to `npm run bench:loop`.
 *
 * The first signal runs `stop` once, after `message` (if any) is printed on stderr as
 * `SIGNAL: message`. A signal while it runs is ignored: `stop` finishes what it does (SIGKILL
 * ends the process at once). A `stop` that fails is reported on stderr, and the process exits as
 * it would have. Once a signal has arrived, the returned function changes nothing: the process is
 * ending.
 */
export function stopOnSignal(stop: () => Promise<void> | void, message?: string): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`${signal}: still stopping (SIGKILL ends it at once)\n`);
      return;
    }
    stopping = true;
    if (message) process.stderr.write(`${signal}: ${message}\n`);
    void Promise.resolve()
      .then(stop)
      .catch((error: unknown) =>
        process.stderr.write(
          `${signal}: stopping failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        ),
      )
      .finally(() => process.exit(signalExitStatus(signal)));
  };
  for (const s of stopSignals) process.on(s, onSignal);
  return () => {
    if (stopping) return;
    for (const s of stopSignals) process.removeListener(s, onSignal);
  };
}

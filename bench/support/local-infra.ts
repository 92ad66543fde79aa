import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { signalExitStatus, stopSignals } from '../../test/support/stop-on-signal';

/** The benches' own copy of the local infra: never the demo's topics or graph. */
export const BENCH_INFRA = { instance: 'bench', kafka: 49092, controller: 49093, bolt: 47687 };

/**
 * Kafka and Neo4j from the environment, else the benches' own instance started by the project's
 * launcher, its Kafka plaintext by choice (the launcher's default is TLS with SCRAM and ACLs). An
 * instance this bench started is stopped when it exits (two Java processes of about 600 MiB each
 * are not something to find left behind), also after Ctrl-C or a SIGTERM; one already running is
 * left as it was. `VIGIL_BENCH_KEEP_INFRA=1` keeps it for the next
 * bench.
 */
export function ensureInfra(): void {
  if (process.env.KAFKA_BROKERS && process.env.NEO4J_URI) return;
  const wasUp = launcher(['status', '--only', 'kafka,neo4j'], 'ignore');
  launcher(['up', '--only', 'kafka,neo4j'], 'inherit', true);
  process.env.KAFKA_BROKERS = `127.0.0.1:${BENCH_INFRA.kafka}`;
  process.env.NEO4J_URI = `bolt://127.0.0.1:${BENCH_INFRA.bolt}`;
  if (wasUp || process.env.VIGIL_BENCH_KEEP_INFRA === '1') return;
  process.once('exit', () => {
    process.stderr.write(
      "stopping the benches' Kafka and Neo4j (VIGIL_BENCH_KEEP_INFRA=1 keeps them)\n",
    );
    launcher(['down', '--only', 'kafka,neo4j'], 'inherit');
  });
  exitOnSignal();
}

/**
 * A process a signal kills runs no 'exit' hook, so Ctrl-C would leave the infra above running: a
 * signal ends a bench through process.exit instead (128 + its number). A bench with its own
 * stopOnSignal (test/support/stop-on-signal.ts) is left to end itself after stopping what it
 * started: this one steps aside when another listener takes the signal.
 */
function exitOnSignal(): void {
  for (const signal of stopSignals)
    process.once(signal, () => {
      if (process.listenerCount(signal) === 0) process.exit(signalExitStatus(signal));
    });
}

/** Runs the launcher on the benches' instance; whether it succeeded (throws when `mustSucceed`). */
function launcher(args: string[], stdio: 'inherit' | 'ignore', mustSucceed = false): boolean {
  try {
    execFileSync(
      process.execPath,
      [join(__dirname, '..', '..', 'infra', 'local', 'launcher.mjs'), ...args],
      {
        stdio,
        env: {
          ...process.env,
          VIGIL_INFRA_INSTANCE: BENCH_INFRA.instance,
          KAFKA_PORT: String(BENCH_INFRA.kafka),
          KAFKA_CONTROLLER_PORT: String(BENCH_INFRA.controller),
          NEO4J_BOLT_PORT: String(BENCH_INFRA.bolt),
          VIGIL_KAFKA_SECURITY: 'plaintext',
        },
      },
    );
    return true;
  } catch (error) {
    if (mustSucceed) throw error;
    return false;
  }
}

import type { AcceptRow, AlertPathRow, IngestResults } from './ingest-results';
import { markdownTable } from '../results/markdown-table';

const thousands = (x: number) => Math.round(x).toLocaleString('en');
const word = (ok: boolean) => (ok ? 'met' : 'not met');

/** The worst p99 of any 5 s after the first: the steady state, without the run's warm-up. */
function afterFirstWindow(r: AlertPathRow): string {
  const later = r.p99ByWindowMs.slice(1).filter((x) => Number.isFinite(x));
  return later.length === 0 ? '-' : `${Math.max(...later)} ms`;
}

function pathRow(r: AlertPathRow): string[] {
  const cpu = Object.entries(r.cpuS)
    .map(([name, s]) => `${name} ${s.toFixed(1)}`)
    .join(', ');
  return [
    `Vigil, ${r.kafka}`,
    `${thousands(r.offeredPerS)} for ${r.seconds} s`,
    `${thousands(r.acceptedPerS)} (${thousands(r.rejected)} refused)`,
    thousands(r.endToEndPerS),
    `${r.latencyMs.p50} / ${r.latencyMs.p99} ms`,
    afterFirstWindow(r),
    `${thousands(r.correlatorHandled)} of ${thousands(r.accepted)}, ${r.correlatorDlq} to the DLQ`,
    cpu,
    r.loadAverage[0].toFixed(1),
  ];
}

function acceptRow(r: AcceptRow): string[] {
  return [
    r.receiver,
    'as fast as taken',
    `${thousands(r.acceptedPerS)} (${thousands(r.rejected)} refused)`,
    '-',
    `request p99 ${r.requestP99Ms} ms`,
    '-',
    '-',
    '-',
    r.loadAverage[0].toFixed(1),
  ];
}

/** What came before the timed seconds: a warm-up at the same rate, or a cold start. */
function warmUpNote(rows: readonly AlertPathRow[]): string {
  const warm = rows.map((r) => r.warmUpS ?? 0);
  if (warm.every((s) => s === 0))
    return 'Timed from a cold start (the first seconds include JIT compilation and the first embeddings).';
  return `Each alert-path row is timed after ${Math.max(...warm)} s of untimed load at the same rate: a running service, its alert texts embedded once.`;
}

/** The alert path per transport and the flat-out accept rates, with the targets' verdicts. */
export function renderIngest(results: IngestResults): string {
  const plain = results.alertPath.find((r) => r.transport === 'plaintext');
  const tls = results.alertPath.find((r) => r.transport === 'tls');
  const within = `at least ${Math.round(100 * (1 - results.target.tlsWithinShare))}%`;
  const cutOff = [plain, tls].some((r) => r !== undefined && r.traced < r.newAlerts);
  const share =
    plain && tls && cutOff
      ? `TLS against plaintext not comparable: a run ended before every new alert was traced (${within})`
      : plain && tls
        ? `TLS end to end ${Math.round((100 * tls.endToEndPerS) / plain.endToEndPerS)}% of plaintext (${within}: ${word(results.met.tlsWithin)})`
        : `TLS against plaintext not measured in this run (${within})`;
  const { target, met } = results;
  const batch = results.accept[0];
  return [
    markdownTable(
      [
        'receiver',
        'offered (alerts/s)',
        'accepted (alerts/s)',
        'end to end (alerts/s)',
        'POST to incident event p50 / p99',
        'worst 5 s p99 after the first 5 s',
        'raw alerts the correlators handled',
        'CPU seconds',
        'load',
      ],
      [...results.alertPath.map(pathRow), ...results.accept.map(acceptRow)],
    ),
    [
      `End to end: every alert sent, over the time until the last new alert's incident event; ${Math.round(results.newShare * 100)}% of the alerts are new and timed.`,
      `${results.correlators} correlator processes in one group; each transport on a Kafka of the bench's own (plaintext, or TLS + SCRAM-SHA-512 with ACLs).`,
      warmUpNote(results.alertPath),
      batch
        ? `Flat-out rows: the same alert batches (${batch.batchSize} a request, ${batch.concurrency} requests in flight, ${batch.seconds} s); Vigil's ingest answers only once Kafka has the alerts.`
        : '',
      `Targets: ${thousands(target.perS)} alerts/s end to end with every alert accepted, every new one traced and p99 < ${target.p99Ms} ms: plaintext ${word(met.plaintext)}, TLS ${word(met.tls)}; ${share}.`,
      results.floor && met.floor !== undefined
        ? `Floor: ${thousands(results.floor.perS)} alerts/s on plaintext with every new alert traced and p99 < ${results.floor.p99Ms} ms: ${word(met.floor)}.`
        : '',
      `Load: the machine's 1-minute load average when the row began (${results.cpus} cores, shared). Run of ${results.date} at ${results.commit}, from \`bench/results/ingest.json\` (\`npm run bench:ingest -- --write\`).`,
    ]
      .filter((s) => s !== '')
      .join(' '),
  ].join('\n\n');
}

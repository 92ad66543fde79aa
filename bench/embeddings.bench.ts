// Rough throughput numbers for the local sentence embedder:
//   npm run bench:embeddings -- [batches=20] [threads]
import { performance } from 'node:perf_hooks';
import { SentenceEmbedder } from '@vigil/embeddings';

const TEMPLATES = [
  'High CPU usage on {svc}: {n}% for 5 minutes',
  'disk full on /var on host db-{n}',
  'no space left on device /dev/sda{n}',
  'TLS certificate for {svc}.example.com expires in {n} days',
  'p99 latency of {svc} above {n} ms',
  'pod {svc}-{n} in CrashLoopBackOff',
  'connection refused to 10.0.{n}.12:5432',
  'HTTP 5xx error rate {n}% on {svc}',
];
const SERVICES = ['payments-api', 'checkout', 'auth', 'search', 'inventory'];

function alerts(count: number, seed: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    TEMPLATES[(i + seed) % TEMPLATES.length]
      .replace('{svc}', SERVICES[(i * 7 + seed) % SERVICES.length])
      .replace('{n}', String((i * 13 + seed * 31) % 100)),
  );
}

async function main(): Promise<void> {
  const batches = Number(process.argv[2] ?? 20);
  const threads = process.argv[3] ? Number(process.argv[3]) : undefined;
  const rss = (): string => `${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`;

  console.log(`rss at start ${rss()}`);
  let t = performance.now();
  const embedder = await SentenceEmbedder.load({ batchSize: 32, intraOpThreads: threads });
  console.log(`load ${(performance.now() - t).toFixed(0)} ms, rss after load ${rss()}`);

  t = performance.now();
  await embedder.embed(['warm up']);
  console.log(`first call ${(performance.now() - t).toFixed(0)} ms`);
  await embedder.embed(alerts(32, 99));

  const latencies: number[] = [];
  const start = performance.now();
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    await embedder.embed(alerts(32, b));
    latencies.push(performance.now() - t0);
  }
  const total = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${batches} batches x 32 texts: ${((batches * 32) / total).toFixed(0)} embeddings/s, ` +
      `batch median ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms, ` +
      `max ${latencies[latencies.length - 1].toFixed(1)} ms (threads: ${threads ?? 'default'})`,
  );
  t = performance.now();
  for (let i = 0; i < 32; i++) await embedder.embed([alerts(1, i)[0]]);
  console.log(`single-text latency ${((performance.now() - t) / 32).toFixed(1)} ms`);
  console.log(`rss at end ${rss()}`);
  await embedder.dispose();
}

void main();

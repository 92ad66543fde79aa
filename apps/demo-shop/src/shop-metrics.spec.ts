import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RequestWindow } from '@vigil/demo-shop';
import { ShopMetrics } from './shop-metrics';

const rulesFile = join(
  __dirname,
  '..',
  '..',
  '..',
  'infra',
  'demo',
  'prometheus',
  'shop-alert-rules.yml',
);

/** The samples of the exposition text: `name{labels} value` lines, comments left out. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** Names of the series the rules select from the shop's job (Prometheus's own `up` aside). */
function metricsTheRulesRead(): string[] {
  const file = parse(readFileSync(rulesFile, 'utf8')) as {
    groups: { rules: { expr: string }[] }[];
  };
  const names = file.groups
    .flatMap((g) => g.rules)
    .flatMap((r) =>
      [...r.expr.matchAll(/([a-z_:][a-z0-9_:]*)\{job="demo-shop"/g)].map((m) => m[1]),
    );
  return [...new Set(names)].filter((n) => n !== 'up');
}

describe('ShopMetrics, what Prometheus scrapes from a shop instance', () => {
  const now = 1_000_000;

  it("serves the error ratio, p99 and rate of the instance's last 10 s of requests", async () => {
    const window = new RequestWindow(10_000);
    window.record(now - 20_000, 5_000, false); // older than the window: not counted
    for (let i = 0; i < 96; i++) window.record(now - 5_000, 20, true);
    for (let i = 0; i < 4; i++) window.record(now - 1_000, 900, false);
    const text = await new ShopMetrics(window, () => now).render();
    const values = samples(text);
    expect(values.get('http_error_ratio')).toBeCloseTo(0.04);
    expect(values.get('http_request_duration_p99_ms')).toBe(900);
    expect(values.get('http_requests_per_second')).toBe(10);
  });

  it('takes the gauges afresh at every scrape', async () => {
    const window = new RequestWindow(10_000);
    let clock = now;
    const metrics = new ShopMetrics(window, () => clock);
    window.record(now, 10, false);
    expect(samples(await metrics.render()).get('http_error_ratio')).toBe(1);
    clock = now + 11_000;
    window.record(clock, 10, true);
    expect(samples(await metrics.render()).get('http_error_ratio')).toBe(0);
  });

  it('serves every metric the Prometheus alert rules read, under the same name', async () => {
    const text = await new ShopMetrics(new RequestWindow(), () => now).render();
    const served = new Set([...samples(text).keys()].map((key) => key.split('{')[0]));
    const read = metricsTheRulesRead();
    expect(read).toEqual(expect.arrayContaining(['http_error_ratio', 'process_cpu_seconds_total']));
    expect(read.filter((name) => !served.has(name))).toEqual([]);
  });

  it('leaves service and instance to the scrape config: no series carries them', async () => {
    const text = await new ShopMetrics(new RequestWindow(), () => now).render();
    const labelled = [...samples(text).keys()].filter((key) =>
      /[{,](service|instance|job)=/.test(key),
    );
    expect(labelled).toEqual([]);
  });

  it('answers with the Prometheus text format', () => {
    expect(new ShopMetrics(new RequestWindow()).contentType).toMatch(
      /^text\/plain; version=0\.0\.4/,
    );
  });
});

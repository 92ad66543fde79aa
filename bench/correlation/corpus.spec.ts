// Draft of a test for the evaluation corpus; not picked up by jest where it is. To use it, move it
// to test/ (e.g. test/correlation-corpus.test.ts, fixing the import paths) or give it a *.spec.ts
// name under a matched folder. It needs no Kafka, Neo4j or model: plain generation, ~2-4 s.
import { alertSchema } from '@vigil/contracts';
import { alertFingerprint } from '@vigil/correlation';
import { createHash } from 'node:crypto';
import { DEFAULT_CORPUS_SEED, type Corpus, generateCorpus } from './corpus-generator';
import { Rng } from './prng';

function digest(corpus: Corpus): string {
  return createHash('sha256').update(JSON.stringify(corpus)).digest('hex');
}

describe('the correlation evaluation corpus', () => {
  let corpus: Corpus;
  beforeAll(() => {
    corpus = generateCorpus();
  });
  const all = () => corpus.scenarios.flatMap((s) => s.alerts);

  it('is deterministic: the same seed gives the same bytes, another seed another corpus', () => {
    expect(digest(generateCorpus(DEFAULT_CORPUS_SEED))).toBe(digest(corpus));
    expect(digest(generateCorpus('another-seed'))).not.toBe(digest(corpus));
  });

  it('generates one scenario alone exactly as within the whole corpus', () => {
    const alone = generateCorpus(DEFAULT_CORPUS_SEED, ['s05-bad-deploy']).scenarios[0];
    const within = corpus.scenarios.find((s) => s.id === 's05-bad-deploy');
    expect(JSON.stringify(alone)).toBe(JSON.stringify(within));
  });

  it('has at least 10 scenarios and 20,000 alert occurrences', () => {
    expect(corpus.scenarios.length).toBeGreaterThanOrEqual(10);
    expect(all().length).toBeGreaterThanOrEqual(20_000);
    for (const s of corpus.scenarios) expect(s.alerts.length).toBeGreaterThan(500);
  });

  it('covers the kinds of storm the issue asks for', () => {
    const ids = corpus.scenarios.map((s) => s.id);
    for (const kind of [
      'db-saturation',
      'flapping',
      'two-incidents',
      'node-failure',
      'bad-deploy',
      'certificates',
      'disk-pressure',
      'memory-leak',
      'multi-cluster',
    ]) {
      expect(ids.some((id) => id.includes(kind))).toBe(true);
    }
  });

  it('makes every occurrence a valid Alert with its fingerprint computed from its labels', () => {
    for (const { alert } of all()) {
      const parsed = alertSchema.safeParse(alert);
      if (!parsed.success) throw new Error(`${JSON.stringify(alert)}: ${parsed.error.message}`);
      expect(alert.fingerprint).toBe(alertFingerprint(alert.labels));
    }
  });

  it('orders each scenario by arrival, inside its window, after each alert started', () => {
    for (const s of corpus.scenarios) {
      let previous = Date.parse(s.start);
      for (const { alert } of s.alerts) {
        const received = Date.parse(alert.receivedAt);
        expect(received).toBeGreaterThanOrEqual(previous);
        expect(Date.parse(alert.startsAt)).toBeLessThanOrEqual(received);
        previous = received;
      }
      expect(previous).toBeLessThan(Date.parse(s.end));
    }
  });

  it('has resolved occurrences, with endsAt exactly on those', () => {
    const resolved = all().filter(({ alert }) => alert.status === 'resolved');
    expect(resolved.length).toBeGreaterThan(300);
    for (const { alert } of all())
      expect(alert.endsAt !== undefined).toBe(alert.status === 'resolved');
  });

  it('labels every alert with an incident of its own scenario; several incidents per scenario', () => {
    for (const s of corpus.scenarios) {
      const incidents = new Set(s.alerts.map((a) => a.truth));
      expect(incidents.size).toBeGreaterThanOrEqual(10);
      for (const truth of incidents) expect(truth.startsWith(`${s.id}/`)).toBe(true);
    }
  });

  it('never lets one firing alert belong to two incidents at once', () => {
    // per fingerprint, the incidents follow one another in time: each forms one run
    const runs = new Map<string, string[]>();
    for (const { alert, truth } of all()) {
      const seq = runs.get(alert.fingerprint) ?? [];
      if (seq[seq.length - 1] !== truth) seq.push(truth);
      runs.set(alert.fingerprint, seq);
    }
    for (const [fingerprint, seq] of runs) {
      expect([fingerprint, new Set(seq).size]).toEqual([fingerprint, seq.length]);
    }
  });

  it('keeps the same outage in two clusters as two incidents', () => {
    const s = corpus.scenarios.find((x) => x.id === 's09-multi-cluster');
    const clustersOf = new Map<string, Set<string>>();
    for (const { alert, truth } of s?.alerts ?? []) {
      if (!alert.labels.cluster || truth.includes('/noise-')) continue;
      const set = clustersOf.get(truth) ?? new Set<string>();
      set.add(alert.labels.cluster);
      clustersOf.set(truth, set);
    }
    expect([...clustersOf.values()].map((c) => [...c])).toEqual([['prod-eu-1'], ['prod-us-1']]);
  });

  it('describes the topology as plain data whose edges name known entities', () => {
    const known = new Set(corpus.topology.services);
    expect(known.size).toBeGreaterThanOrEqual(40);
    for (const edge of corpus.topology.edges) {
      expect(known.has(edge.from) && known.has(edge.to)).toBe(true);
    }
    const services = new Set(all().map((a) => a.alert.service));
    const inTopology = [...services].filter((s) => known.has(s)).length;
    expect(inTopology / services.size).toBeGreaterThan(0.8); // a few (kubelet, coredns) are not
  });
});

describe('Rng', () => {
  it('repeats for a seed and forks independent streams', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    expect([a.next(), a.next(), a.int(1, 6)]).toEqual([b.next(), b.next(), b.int(1, 6)]);
    expect(new Rng('x').fork('p').next()).toBe(new Rng('x').fork('p').next());
    expect(new Rng('x').fork('p').next()).not.toBe(new Rng('x').fork('q').next());
  });

  it('draws uniformly enough', () => {
    const r = new Rng('uniform');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.int(0, 3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});

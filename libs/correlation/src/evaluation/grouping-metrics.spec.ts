import { contingencyTable, evaluateGrouping, type GroupingMetrics } from './grouping-metrics';

// A tiny seeded generator, so the brute-force comparisons are reproducible.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomLabels(n: number, groups: number, random: () => number, prefix: string): string[] {
  return Array.from({ length: n }, () => `${prefix}${Math.floor(random() * groups)}`);
}

/** The textbook definitions over all n(n-1)/2 pairs, to check the contingency-table shortcuts. */
function bruteForcePairs(truth: string[], predicted: string[]) {
  let both = 0;
  let onlyPredicted = 0;
  let onlyTruth = 0;
  let neither = 0;
  for (let i = 0; i < truth.length; i++) {
    for (let j = i + 1; j < truth.length; j++) {
      const t = truth[i] === truth[j];
      const p = predicted[i] === predicted[j];
      if (t && p) both++;
      else if (p) onlyPredicted++;
      else if (t) onlyTruth++;
      else neither++;
    }
  }
  const precision = both / (both + onlyPredicted);
  const recall = both / (both + onlyTruth);
  // ARI from the pair confusion matrix (Hubert & Arabie, as in scikit-learn).
  const ari =
    (2 * (both * neither - onlyTruth * onlyPredicted)) /
    ((both + onlyTruth) * (onlyTruth + neither) +
      (both + onlyPredicted) * (onlyPredicted + neither));
  return { precision, recall, ari };
}

function entropyOf(counts: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return -counts.filter((c) => c > 0).reduce((h, c) => h + (c / n) * Math.log(c / n), 0);
}

describe('contingencyTable', () => {
  it('counts alerts per true incident, per predicted incident and per pair of them', () => {
    const table = contingencyTable(['a', 'a', 'b', 'a'], ['x', 'y', 'y', 'x']);
    expect(table.items).toBe(4);
    expect(table.trueSizes).toEqual([3, 1]);
    expect(table.predictedSizes).toEqual([2, 2]);
    expect(table.cells).toEqual([
      { truth: 0, predicted: 0, count: 2 },
      { truth: 0, predicted: 1, count: 1 },
      { truth: 1, predicted: 1, count: 1 },
    ]);
  });

  it('refuses labelings of different lengths', () => {
    expect(() => contingencyTable(['a'], ['x', 'y'])).toThrow(/must match/);
  });
});

describe('evaluateGrouping on a hand-computed case', () => {
  // truth:     a a a | b b | c
  // predicted: 1 1 | 2 2 2 | 3      (one alert of a joined b's incident)
  const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
  const predicted = ['1', '1', '2', '2', '2', '3'];
  const m = evaluateGrouping(truth, predicted);

  it('counts incidents and compression', () => {
    expect(m.items).toBe(6);
    expect(m.trueIncidents).toBe(3);
    expect(m.predictedIncidents).toBe(3);
    expect(m.compression).toBe(2);
  });

  it('computes pairwise precision, recall and F1', () => {
    // together: {a,a} in 1 and {b,b} in 2 = 2 pairs; predicted pairs 1+3+0 = 4; true pairs 3+1+0 = 4
    expect(m.precision).toBeCloseTo(2 / 4, 12);
    expect(m.recall).toBeCloseTo(2 / 4, 12);
    expect(m.f1).toBeCloseTo(0.5, 12);
  });

  it('computes the adjusted Rand index', () => {
    // expected = 4 * 4 / 15, max = (4 + 4) / 2  ->  (2 - 16/15) / (4 - 16/15) = 14/44
    expect(m.ari).toBeCloseTo(14 / 44, 12);
  });

  it('computes homogeneity, completeness, V-measure and NMI', () => {
    const n = 6;
    const mutual =
      (2 / n) * Math.log((n * 2) / (3 * 2)) + // a in 1
      (1 / n) * Math.log((n * 1) / (3 * 3)) + // a in 2
      (2 / n) * Math.log((n * 2) / (2 * 3)) + // b in 2
      (1 / n) * Math.log((n * 1) / (1 * 1)); // c in 3
    const hTruth = entropyOf([3, 2, 1]);
    const hPredicted = entropyOf([2, 3, 1]);
    expect(m.homogeneity).toBeCloseTo(mutual / hTruth, 12);
    expect(m.completeness).toBeCloseTo(mutual / hPredicted, 12);
    expect(m.nmi).toBeCloseTo((2 * mutual) / (hTruth + hPredicted), 12);
    expect(m.vMeasure).toBeCloseTo(m.nmi, 12);
  });

  it('computes per-incident purity and recall of each true incident in its home incident', () => {
    // a: home 1 (2 of 2 pure, 2 of 3 kept); b: home 2 (2 of 3 pure, all kept); c: home 3 (pure, kept)
    expect(m.macroPurity).toBeCloseTo((1 + 2 / 3 + 1) / 3, 12);
    expect(m.macroRecall).toBeCloseTo((2 / 3 + 1 + 1) / 3, 12);
  });
});

describe('evaluateGrouping edge cases', () => {
  const scores: Array<keyof GroupingMetrics> = [
    'precision',
    'recall',
    'f1',
    'ari',
    'homogeneity',
    'completeness',
    'vMeasure',
    'nmi',
    'macroPurity',
    'macroRecall',
  ];
  // entropies go through logarithms, so "1" may come back as 0.9999999999999998
  function expectPerfect(m: GroupingMetrics): void {
    for (const score of scores) expect([score, m[score]]).toEqual([score, expect.closeTo(1, 12)]);
  }

  it('scores a grouping equal to the truth as perfect, whatever the label names', () => {
    const m = evaluateGrouping(['a', 'a', 'b', 'c', 'c', 'c'], ['z', 'z', 'x', 'y', 'y', 'y']);
    expectPerfect(m);
    expect(m.compression).toBe(2);
  });

  it('scores all-singletons against all-singletons as perfect', () => {
    const m = evaluateGrouping(['a', 'b', 'c'], ['1', '2', '3']);
    expectPerfect(m);
    expect(m.compression).toBe(1);
  });

  it('scores one group against one group as perfect', () => {
    const m = evaluateGrouping(['a', 'a', 'a'], ['1', '1', '1']);
    expectPerfect(m);
    expect(m.compression).toBe(3);
  });

  it('all-singletons against one true incident: precise by default, recalls nothing', () => {
    const m = evaluateGrouping(['a', 'a', 'a', 'a'], ['1', '2', '3', '4']);
    expect(m).toMatchObject({ precision: 1, recall: 0, f1: 0, ari: 0, compression: 1 });
    expect(m).toMatchObject({ homogeneity: 1, completeness: 0, vMeasure: 0, nmi: 0 });
    expect(m.macroPurity).toBe(1);
    expect(m.macroRecall).toBe(0.25);
    expect(m.predictedIncidents).toBe(4);
    expect(m.trueIncidents).toBe(1);
  });

  it('one group against all-singleton truth: recalls everything, precise about nothing', () => {
    const m = evaluateGrouping(['a', 'b', 'c', 'd'], ['1', '1', '1', '1']);
    expect(m).toMatchObject({ precision: 0, recall: 1, f1: 0, ari: 0, compression: 4 });
    expect(m).toMatchObject({ homogeneity: 0, completeness: 1, vMeasure: 0, nmi: 0 });
    expect(m.macroPurity).toBe(0.25);
    expect(m.macroRecall).toBe(1);
  });

  it('shows a swallowed small incident that pairwise F1 hardly notices', () => {
    // 100 alerts of a big incident and 2 of a small one, all in one predicted incident
    const truth = [...Array(100).fill('big'), 'small', 'small'];
    const m = evaluateGrouping(truth, Array(102).fill('one'));
    expect(m.f1).toBeGreaterThan(0.98);
    expect(m.macroPurity).toBeLessThan(0.51); // big: 100/102, small: 2/102
    expect(m.predictedIncidents).toBeLessThan(m.trueIncidents);
  });

  it('shows a split small incident in macro recall', () => {
    const truth = [...Array(100).fill('big'), 'small', 'small'];
    const predicted = [...Array(100).fill('p'), 'q', 'r'];
    const m = evaluateGrouping(truth, predicted);
    expect(m.f1).toBeGreaterThan(0.99);
    expect(m.macroRecall).toBeCloseTo((1 + 0.5) / 2, 12);
  });

  it('gives vacuous scores and zero compression for no items', () => {
    const m = evaluateGrouping([], []);
    expectPerfect(m);
    expect(m).toMatchObject({ items: 0, compression: 0, predictedIncidents: 0 });
  });

  it('gives a single item a perfect score', () => {
    const m = evaluateGrouping(['a'], ['1']);
    expectPerfect(m);
    expect(m.compression).toBe(1);
  });

  it('picks the purer home incident when a true incident is split evenly', () => {
    // a is split 2/2 between predicted 1 (only a) and predicted 2 (a + three of b)
    const m = evaluateGrouping(
      ['a', 'a', 'a', 'a', 'b', 'b', 'b'],
      ['2', '2', '1', '1', '2', '2', '2'],
    );
    // a: home 1, purity 1, recall 0.5;  b: home 2, purity 3/5, recall 1
    expect(m.macroPurity).toBeCloseTo((1 + 3 / 5) / 2, 12);
    expect(m.macroRecall).toBeCloseTo((0.5 + 1) / 2, 12);
  });
});

describe('evaluateGrouping against brute force', () => {
  it.each([
    [300, 7, 5, 1],
    [250, 40, 12, 2],
    [200, 3, 60, 3],
  ])(
    'matches the O(n^2) pair definitions (n=%i, %i true, %i predicted groups)',
    (n, t, p, seed) => {
      const random = lcg(seed);
      const truth = randomLabels(n, t, random, 't');
      // half the predictions follow the truth, so the scores are not all near zero
      const noise = randomLabels(n, p, random, 'p');
      const predicted = truth.map((label, i) => (random() < 0.5 ? `same-${label}` : noise[i]));
      const m = evaluateGrouping(truth, predicted);
      const brute = bruteForcePairs(truth, predicted);
      expect(m.precision).toBeCloseTo(brute.precision, 12);
      expect(m.recall).toBeCloseTo(brute.recall, 12);
      expect(m.ari).toBeCloseTo(brute.ari, 12);
    },
  );

  it('is symmetric: swapping truth and prediction swaps precision/recall and h/c', () => {
    const random = lcg(9);
    const a = randomLabels(150, 10, random, 'a');
    const b = randomLabels(150, 6, random, 'b');
    const ab = evaluateGrouping(a, b);
    const ba = evaluateGrouping(b, a);
    expect(ab.precision).toBeCloseTo(ba.recall, 12);
    expect(ab.homogeneity).toBeCloseTo(ba.completeness, 12);
    expect(ab.ari).toBeCloseTo(ba.ari, 12);
    expect(ab.vMeasure).toBeCloseTo(ba.vMeasure, 12);
  });

  it('scores a random grouping near zero ARI', () => {
    const random = lcg(4);
    const m = evaluateGrouping(
      randomLabels(2000, 20, random, 't'),
      randomLabels(2000, 20, random, 'p'),
    );
    expect(Math.abs(m.ari)).toBeLessThan(0.02);
  });

  it('handles 100k alerts (no pair enumeration, which would be 5e9 pairs)', () => {
    const random = lcg(5);
    const truth = randomLabels(100_000, 500, random, 't');
    const m = evaluateGrouping(
      truth,
      truth.map((label) => `p-${label}`),
    );
    expect(m).toMatchObject({ f1: 1, ari: 1, trueIncidents: 500, predictedIncidents: 500 });
  });
});

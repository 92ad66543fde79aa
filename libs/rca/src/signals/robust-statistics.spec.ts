import {
  mad,
  median,
  medianAndMadInPlace,
  quantile,
  quartilesInPlace,
  robustChangeScore,
  selectInPlace,
  sortedCopy,
} from './robust-statistics';
import { seededRandom } from './testing/seeded-random';

function randomValues(seed: number, count: number, distinct: number): number[] {
  const { uniform } = seededRandom(seed);
  return Array.from({ length: count }, () => Math.floor(uniform() * distinct));
}

describe('selection-based quantiles', () => {
  it('agree with sorting, for every size and with many ties', () => {
    for (let count = 1; count <= 200; count += 7) {
      for (const distinct of [2, 10, 1_000_000]) {
        const values = randomValues(count * 31 + distinct, count, distinct);
        const sorted = sortedCopy(values);
        const quartiles = quartilesInPlace(Float64Array.from(values), count);
        expect(quartiles.q25).toBeCloseTo(quantile(sorted, 0.25), 9);
        expect(quartiles.q50).toBeCloseTo(quantile(sorted, 0.5), 9);
        expect(quartiles.q75).toBeCloseTo(quantile(sorted, 0.75), 9);
        const selected = Float64Array.from(values);
        const k = Math.floor(count / 3);
        selectInPlace(selected, k, 0, count - 1);
        expect(selected[k]).toBe(sorted[k]);
      }
    }
  });

  it('give the same median and MAD as the sorting helpers', () => {
    const values = randomValues(7, 121, 50).map((v) => v * 1.5);
    const inPlace = medianAndMadInPlace(Float64Array.from(values), values.length);
    expect(inPlace.median).toBe(median(values));
    expect(inPlace.mad).toBeCloseTo(mad(values), 9);
    expect(medianAndMadInPlace(new Float64Array(4), 0).median).toBeNaN();
  });
});

describe('robustChangeScore', () => {
  it('measures the farthest anomalous point in normal interquartile ranges', () => {
    const normal = [1, 2, 3, 4, 5];
    expect(robustChangeScore(normal, [3, 11])).toEqual({ score: 4, direction: 'up' });
    expect(robustChangeScore(normal, [-5]).direction).toBe('down');
  });
});

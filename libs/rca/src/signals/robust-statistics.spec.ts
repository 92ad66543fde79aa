import {
  mad,
  median,
  medianAndMadInPlace,
  quantile,
  quantileSurelyBelow,
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

describe('quantileSurelyBelow', () => {
  it('says a quantile lies below a bound only when it does, and whenever both its neighbours do', () => {
    let told = 0;
    for (const count of [1, 2, 3, 19, 20, 90, 121]) {
      const values = randomValues(count, count, 12);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.5, 0.95, 1]) {
        const position = (count - 1) * q;
        const neighbours = [sorted[Math.floor(position)], sorted[Math.ceil(position)]];
        for (const bound of [...sorted, 0, 12.5]) {
          const surely = quantileSurelyBelow(Float64Array.from(values), count, q, bound);
          expect(surely).toBe(neighbours.every((v) => v < bound));
          if (surely) {
            told++;
            expect(quantile(sorted, q)).toBeLessThan(bound);
          }
        }
      }
    }
    expect(told).toBeGreaterThan(100);
  });
});

describe('robustChangeScore', () => {
  it('measures the farthest anomalous point in normal interquartile ranges', () => {
    const normal = [1, 2, 3, 4, 5];
    expect(robustChangeScore(normal, [3, 11])).toEqual({ score: 4, direction: 'up' });
    expect(robustChangeScore(normal, [-5]).direction).toBe('down');
  });
});

/**
 * How close a grouping of alerts into incidents is to the ground truth. Everything is computed
 * from the contingency table (true incident x predicted incident -> alerts in both), so a
 * benchmark over tens of thousands of alerts costs O(alerts + non-empty cells), never O(n^2) pairs.
 *
 * Why so many figures (docs/ARCHITECTURE.md, "How quality is measured"): pairwise F1 and the
 * adjusted Rand index are dominated by the largest incidents, so they can look excellent while
 * small incidents are split or swallowed. Per-incident (macro) purity and recall, V-measure/NMI
 * and the incident counts show that.
 */

export interface ContingencyCell {
  /** Index into {@link ContingencyTable.trueSizes}. */
  truth: number;
  /** Index into {@link ContingencyTable.predictedSizes}. */
  predicted: number;
  count: number;
}

export interface ContingencyTable {
  items: number;
  /** Alerts per true incident, in order of first appearance. */
  trueSizes: number[];
  /** Alerts per predicted incident, in order of first appearance. */
  predictedSizes: number[];
  /** Only non-empty cells. */
  cells: ContingencyCell[];
}

export interface GroupingMetrics {
  items: number;
  trueIncidents: number;
  predictedIncidents: number;
  /** Alerts per predicted incident (items / predictedIncidents); 0 for no items. */
  compression: number;
  /** Pairs put together that belong together / pairs put together (1 when nothing is put together). */
  precision: number;
  /** Pairs put together that belong together / pairs that belong together (1 when none belong together). */
  recall: number;
  f1: number;
  /** Adjusted Rand index: 0 for a chance-level grouping, 1 for the truth, can be negative. */
  ari: number;
  /** Each predicted incident holds alerts of one true incident only (1 - H(truth|pred) / H(truth)). */
  homogeneity: number;
  /** Each true incident lies in one predicted incident (1 - H(pred|truth) / H(pred)). */
  completeness: number;
  /** Harmonic mean of homogeneity and completeness. */
  vMeasure: number;
  /** Mutual information / arithmetic mean of the entropies; equal to vMeasure by construction. */
  nmi: number;
  /**
   * Mean over TRUE incidents of the purity of the predicted incident that holds most of it
   * ("home" incident): low when small incidents are swallowed by bigger ones.
   */
  macroPurity: number;
  /** Mean over TRUE incidents of the share of its alerts in its home incident: low when split. */
  macroRecall: number;
}

/** Builds the contingency table of two labelings of the same items (same length, same order). */
export function contingencyTable(
  truth: readonly string[],
  predicted: readonly string[],
): ContingencyTable {
  if (truth.length !== predicted.length) {
    throw new RangeError(
      `truth has ${truth.length} labels but predicted has ${predicted.length}; they must match`,
    );
  }
  const trueIndex = new Map<string, number>();
  const predictedIndex = new Map<string, number>();
  const trueSizes: number[] = [];
  const predictedSizes: number[] = [];
  const cellIndex = new Map<string, number>();
  const cells: ContingencyCell[] = [];
  for (let i = 0; i < truth.length; i++) {
    const t = indexOf(trueIndex, trueSizes, truth[i]);
    const p = indexOf(predictedIndex, predictedSizes, predicted[i]);
    trueSizes[t]++;
    predictedSizes[p]++;
    const key = `${t},${p}`;
    const existing = cellIndex.get(key);
    if (existing === undefined) {
      cellIndex.set(key, cells.length);
      cells.push({ truth: t, predicted: p, count: 1 });
    } else {
      cells[existing].count++;
    }
  }
  return { items: truth.length, trueSizes, predictedSizes, cells };
}

function indexOf(index: Map<string, number>, sizes: number[], label: string): number {
  let i = index.get(label);
  if (i === undefined) {
    i = sizes.length;
    index.set(label, i);
    sizes.push(0);
  }
  return i;
}

/** All figures for a predicted grouping against the truth; labels are opaque strings. */
export function evaluateGrouping(
  truth: readonly string[],
  predicted: readonly string[],
): GroupingMetrics {
  return metricsFromTable(contingencyTable(truth, predicted));
}

export function metricsFromTable(table: ContingencyTable): GroupingMetrics {
  const pairs = pairScores(table);
  const info = informationScores(table);
  const macro = perIncidentScores(table);
  return {
    items: table.items,
    trueIncidents: table.trueSizes.length,
    predictedIncidents: table.predictedSizes.length,
    compression: table.items === 0 ? 0 : table.items / table.predictedSizes.length,
    ...pairs,
    ...info,
    ...macro,
  };
}

function pairsOf(n: number): number {
  return (n * (n - 1)) / 2;
}

function sumPairs(sizes: readonly number[]): number {
  let sum = 0;
  for (const size of sizes) sum += pairsOf(size);
  return sum;
}

/** Pairwise precision, recall, F1 and the adjusted Rand index, from pair counts. */
export function pairScores(
  table: ContingencyTable,
): Pick<GroupingMetrics, 'precision' | 'recall' | 'f1' | 'ari'> {
  let together = 0; // pairs in the same true AND the same predicted incident
  for (const cell of table.cells) together += pairsOf(cell.count);
  const predictedPairs = sumPairs(table.predictedSizes);
  const truePairs = sumPairs(table.trueSizes);
  // Vacuous cases: putting nothing together makes no wrong merge; with nothing to put together,
  // nothing was missed.
  const precision = predictedPairs === 0 ? 1 : together / predictedPairs;
  const recall = truePairs === 0 ? 1 : together / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, ari: adjustedRand(together, truePairs, predictedPairs, table) };
}

function adjustedRand(
  together: number,
  truePairs: number,
  predictedPairs: number,
  table: ContingencyTable,
): number {
  const allPairs = pairsOf(table.items);
  if (allPairs === 0) return 1;
  const expected = (truePairs * predictedPairs) / allPairs;
  const max = (truePairs + predictedPairs) / 2;
  // Zero only when both groupings are all singletons or both one group: then they are identical.
  if (max === expected) return 1;
  return (together - expected) / (max - expected);
}

function entropy(sizes: readonly number[], n: number): number {
  let h = 0;
  for (const size of sizes) if (size > 0) h -= (size / n) * Math.log(size / n);
  return h;
}

/** Homogeneity, completeness, V-measure and NMI (arithmetic normalisation), in nats. */
export function informationScores(
  table: ContingencyTable,
): Pick<GroupingMetrics, 'homogeneity' | 'completeness' | 'vMeasure' | 'nmi'> {
  const n = table.items;
  if (n === 0) return { homogeneity: 1, completeness: 1, vMeasure: 1, nmi: 1 };
  const hTruth = entropy(table.trueSizes, n);
  const hPredicted = entropy(table.predictedSizes, n);
  let mutual = 0;
  for (const { truth, predicted, count } of table.cells) {
    const a = table.trueSizes[truth];
    const b = table.predictedSizes[predicted];
    mutual += (count / n) * Math.log((n * count) / (a * b));
  }
  mutual = Math.max(0, mutual); // rounding can leave -1e-17 for independent labelings
  // H(T|P) = H(T) - I and H(P|T) = H(P) - I; a zero entropy means nothing to be impure about.
  const homogeneity = hTruth === 0 ? 1 : clamp01(mutual / hTruth);
  const completeness = hPredicted === 0 ? 1 : clamp01(mutual / hPredicted);
  const vMeasure =
    homogeneity + completeness === 0
      ? 0
      : (2 * homogeneity * completeness) / (homogeneity + completeness);
  const meanEntropy = (hTruth + hPredicted) / 2;
  const nmi = meanEntropy === 0 ? 1 : clamp01(mutual / meanEntropy);
  return { homogeneity, completeness, vMeasure, nmi };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * Per true incident, its home = the predicted incident holding most of its alerts (ties: the
 * smaller, i.e. purer, one; then the first seen). Macro means weigh every incident equally.
 */
export function perIncidentScores(
  table: ContingencyTable,
): Pick<GroupingMetrics, 'macroPurity' | 'macroRecall'> {
  const incidents = table.trueSizes.length;
  if (incidents === 0) return { macroPurity: 1, macroRecall: 1 };
  const home: Array<ContingencyCell | undefined> = new Array(incidents);
  for (const cell of table.cells) {
    const current = home[cell.truth];
    if (!current || isBetterHome(cell, current, table.predictedSizes)) home[cell.truth] = cell;
  }
  let purity = 0;
  let recall = 0;
  home.forEach((cell, t) => {
    if (!cell) return; // cannot happen: every true incident has at least one alert
    purity += cell.count / table.predictedSizes[cell.predicted];
    recall += cell.count / table.trueSizes[t];
  });
  return { macroPurity: purity / incidents, macroRecall: recall / incidents };
}

function isBetterHome(
  cell: ContingencyCell,
  current: ContingencyCell,
  predictedSizes: readonly number[],
): boolean {
  if (cell.count !== current.count) return cell.count > current.count;
  const size = predictedSizes[cell.predicted];
  const currentSize = predictedSizes[current.predicted];
  if (size !== currentSize) return size < currentSize;
  return cell.predicted < current.predicted;
}

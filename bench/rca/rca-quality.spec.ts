// Root-cause accuracy on the fixed suite (70 cases, default seed), for Vigil and the baselines the
// issue names: the floor of what `npm run bench:rca` prints, asserted so a regression fails a test.
import {
  anomalyScoreRanker,
  baroRanker,
  evaluateRankings,
  pageRankRanker,
  randomRanker,
  rankedServices,
  rankRootCauses,
  type RootCauseRanker,
} from '@vigil/rca';
import { generateRcaCases } from './case-generator';

describe('root-cause accuracy on the generated suite', () => {
  const suite = generateRcaCases();
  const evaluate = (ranker: RootCauseRanker, lateMs = 0) =>
    evaluateRankings(
      suite.cases.map((c) => ({
        rootService: c.rootService,
        faultType: c.faultType,
        ranking: rankedServices(
          ranker({ ...c.rcaCase, anomalyStart: c.rcaCase.anomalyStart + lateMs }),
        ),
      })),
    );

  it('names the injected service first in 80% of cases and among the first three in 95%, above every baseline', () => {
    const vigil = evaluate((input) => rankRootCauses(input));
    expect(suite.cases.length).toBeGreaterThanOrEqual(50);
    expect(vigil.ac1).toBeGreaterThanOrEqual(0.8);
    expect(vigil.ac3).toBeGreaterThanOrEqual(0.95);
    for (const baseline of [randomRanker(), anomalyScoreRanker, pageRankRanker(), baroRanker]) {
      const figures = evaluate(baseline);
      expect(vigil.ac1).toBeGreaterThan(figures.ac1);
      expect(vigil.avg5).toBeGreaterThan(figures.avg5);
    }
  });

  it('keeps that accuracy when the detection comes 60 s late', () => {
    const late = evaluate((input) => rankRootCauses(input), 60_000);
    expect(late.ac1).toBeGreaterThanOrEqual(0.8);
    expect(late.ac3).toBeGreaterThanOrEqual(0.95);
  });
});

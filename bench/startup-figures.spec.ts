import { medianFigures, startupVerdict, type ModeFigures } from './startup-figures';

describe('start-up figures', () => {
  it('takes the median of each figure, so one slow start does not decide it', () => {
    const figures = medianFigures([
      { loadedS: 0.9, readyS: 1.1, cpuS: 0.8, rssMiB: 100, peakRssMiB: 110, privateMiB: 52 },
      { loadedS: 7.5, readyS: 9.0, cpuS: 1.2, rssMiB: 140, peakRssMiB: 150, privateMiB: 90 },
      { loadedS: 1.0, readyS: 1.3, cpuS: 0.9, rssMiB: 98, peakRssMiB: 105, privateMiB: 50 },
    ]);
    expect(figures).toEqual({
      loadedS: 1,
      readyS: 1.3,
      cpuS: 0.9,
      rssMiB: 100,
      peakRssMiB: 110,
      privateMiB: 52,
      starts: 3,
    });
  });

  it('leaves private memory out when a start did not measure it', () => {
    const figures = medianFigures([
      { loadedS: 0.9, readyS: 1.1, cpuS: 0.8, rssMiB: 100, peakRssMiB: 110, privateMiB: 52 },
      { loadedS: 1.0, readyS: 1.3, cpuS: 0.9, rssMiB: 98, peakRssMiB: 105 },
    ]);
    expect(figures).not.toHaveProperty('privateMiB');
  });

  it('meets the target only when every compiled service does', () => {
    const mode = (readyS: number, rssMiB: number): ModeFigures => ({
      loadedS: readyS / 2,
      readyS,
      cpuS: readyS / 2,
      rssMiB,
      peakRssMiB: rssMiB,
      starts: 1,
    });
    const target = { readyS: 2, rssRatio: 0.5 };
    const fast = { name: 'ingest', compiled: mode(1.2, 90), tsNode: mode(3, 200) };
    expect(startupVerdict([fast], target)).toEqual({ loaded: true, ready: true, rss: true });
    const heavy = { name: 'rca', compiled: mode(3, 120), tsNode: mode(5, 200) };
    expect(startupVerdict([fast, heavy], target)).toEqual({
      loaded: true,
      ready: false,
      rss: false,
    });
  });
});

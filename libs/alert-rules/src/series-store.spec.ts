import { parseTime, SeriesStore } from './series-store';
import { metricBatch, t0 } from './testing/metric-batches';

const options = {
  retentionMs: 10_000,
  maxSamplesPerSeries: 100,
  maxSeries: 100,
  forgetAfterMs: 60_000,
};

describe('SeriesStore', () => {
  it('keeps one series per metric, service, instance and label set', () => {
    const store = new SeriesStore(options);
    store.ingest(
      metricBatch({ service: 'cart', instance: 'cart-1' }, t0, [
        ['http_requests_total', 1, { status: '2xx' }],
        ['http_requests_total', 1, { status: '5xx' }],
      ]),
    );
    store.ingest(
      metricBatch({ service: 'cart', instance: 'cart-2' }, t0, [
        ['http_requests_total', 1, { status: '2xx' }],
      ]),
    );
    store.ingest(
      metricBatch({ service: 'cart', instance: 'cart-1' }, t0 + 1_000, [
        ['http_requests_total', 2, { status: '2xx' }],
      ]),
    );
    expect([...store.seriesOf('http_requests_total')].map((s) => s.samples.length)).toEqual([
      2, 1, 1,
    ]);
    expect(store.stats()).toMatchObject({ series: 3, samples: 4 });
  });

  it('keeps the time a series was last heard from after its samples age out', () => {
    const store = new SeriesStore(options);
    store.ingest(metricBatch({ service: 'cart' }, t0, [['up', 1]]));
    store.sweep(t0 + 30_000);
    const [up] = store.seriesOf('up');
    expect(up.samples).toEqual([]);
    expect(up.lastTime).toBe(t0);
  });

  it('counts samples whose time cannot be read instead of storing them', () => {
    const store = new SeriesStore(options);
    const batch = metricBatch({ service: 'cart' }, t0, [['up', 1]]);
    store.ingest({ ...batch, samples: [{ ...batch.samples[0], time: 'yesterday' }] });
    expect(store.stats()).toMatchObject({ series: 0, droppedUnparsableTime: 1 });
  });
});

describe('parseTime', () => {
  it('reads RFC 3339 with offsets and nanoseconds, as the contract allows', () => {
    expect(parseTime('2025-03-01T13:00:00.123456789+01:00')).toBe(
      Date.parse('2025-03-01T12:00:00.123Z'),
    );
  });
});

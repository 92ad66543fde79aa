import { firingAlert } from '@vigil/correlation/testing';
import { inArrivalOrder } from './offline-expectation';

describe('the stream the offline correlator is given', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, s)).toISOString();
  const alert = (name: string, s: number) =>
    firingAlert({ alertname: name, service: 'cart' }, at(s));

  it('is in the order ingest stamped the alerts, whatever partition they were read from', () => {
    const order = inArrivalOrder([alert('C', 3), alert('A', 1), alert('B', 2)]);
    expect(order.map((a) => a.alertname)).toEqual(['A', 'B', 'C']);
  });

  it('keeps the topic order of alerts stamped in the same millisecond', () => {
    const order = inArrivalOrder([alert('Y', 1), alert('X', 1)]);
    expect(order.map((a) => a.alertname)).toEqual(['Y', 'X']);
  });

  it('leaves out what came before the live correlator started (an earlier run on the same Kafka)', () => {
    const order = inArrivalOrder([alert('OLD', 1), alert('NEW', 5)], Date.parse(at(2)));
    expect(order.map((a) => a.alertname)).toEqual(['NEW']);
  });

  it('takes a record a producer wrote twice once, and a re-sent alert again', () => {
    const first = alert('A', 1);
    const order = inArrivalOrder([first, { ...first }, { ...first, receivedAt: at(6) }]);
    expect(order.map((a) => a.receivedAt)).toEqual([at(1), at(6)]);
  });
});

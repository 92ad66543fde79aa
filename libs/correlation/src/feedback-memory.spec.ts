import type { IncidentFeedback } from '@vigil/contracts';
import { alertKind, FeedbackMemory } from './feedback-memory';

const by = { user: 'ann', role: 'responder' as const };
const at = '2026-11-27T10:00:00Z';
const a = (fingerprint: string, alertname: string, service: string, incidentId: string) => ({
  fingerprint,
  alertname,
  service,
  incidentId,
});

function merge(feedbackId: string, alerts: IncidentFeedback['alerts']): IncidentFeedback {
  return {
    schemaVersion: 1,
    feedbackId,
    type: 'merge',
    incidentId: 'inc-a',
    mergedIncidentIds: ['inc-b'],
    by,
    via: 'console',
    at,
    alerts,
  };
}

function split(
  feedbackId: string,
  fingerprints: string[],
  alerts: IncidentFeedback['alerts'],
): IncidentFeedback {
  return {
    schemaVersion: 1,
    feedbackId,
    type: 'split',
    incidentId: 'inc-a',
    fingerprints,
    newIncidentId: 'inc-new',
    by,
    via: 'console',
    at,
    alerts,
  };
}

const disk = 'DiskFull@orders-db';
const errors = 'HighErrorRate@checkout';
const cpu = 'HighCpu@search';

describe('FeedbackMemory', () => {
  it('names a kind by alertname and service, not by fingerprint', () => {
    expect(alertKind({ alertname: 'DiskFull', service: 'orders-db' })).toBe(disk);
  });

  it('learns from a merge that the kinds of the two incidents join, whichever asks', () => {
    const memory = new FeedbackMemory();
    memory.learn(
      merge('fb-1', [
        a('f1', 'DiskFull', 'orders-db', 'inc-a'),
        a('f2', 'HighErrorRate', 'checkout', 'inc-b'),
      ]),
    );
    expect(memory.relation(errors, [disk])).toEqual({
      relation: 'join',
      kinds: [errors, disk],
      feedbackId: 'fb-1',
    });
    expect(memory.relation(disk, [errors])?.relation).toBe('join');
    expect(memory.relation(cpu, [disk])).toBeUndefined();
  });

  it('learns nothing between alerts that were already together', () => {
    const memory = new FeedbackMemory();
    memory.learn(
      merge('fb-1', [
        a('f1', 'DiskFull', 'orders-db', 'inc-a'),
        a('f3', 'HighCpu', 'search', 'inc-a'),
        a('f2', 'HighErrorRate', 'checkout', 'inc-b'),
      ]),
    );
    expect(memory.relation(cpu, [disk])).toBeUndefined();
    expect(memory.size()).toEqual({ join: 2, apart: 0 });
  });

  it('joins what opened each merged incident with the other, not every alert with every alert', () => {
    const memory = new FeedbackMemory();
    const latency = 'HighLatency@frontend';
    memory.learn(
      merge('fb-1', [
        a('f1', 'DiskFull', 'orders-db', 'inc-a'),
        a('f4', 'HighLatency', 'frontend', 'inc-a'),
        a('f2', 'HighErrorRate', 'checkout', 'inc-b'),
        // a noisy neighbour that joined inc-b after it opened
        a('f3', 'HighCpu', 'search', 'inc-b'),
      ]),
    );
    expect(memory.relation(errors, [disk])?.relation).toBe('join');
    expect(memory.relation(errors, [latency])?.relation).toBe('join');
    expect(memory.relation(cpu, [disk])?.relation).toBe('join');
    // neither opened an incident: nothing learned between them
    expect(memory.relation(cpu, [latency])).toBeUndefined();
  });

  it('learns from a split that the kinds split out stay apart from those left', () => {
    const memory = new FeedbackMemory();
    memory.learn(
      split(
        'fb-2',
        ['f3'],
        [
          a('f1', 'DiskFull', 'orders-db', 'inc-a'),
          a('f2', 'HighErrorRate', 'checkout', 'inc-a'),
          a('f3', 'HighCpu', 'search', 'inc-a'),
        ],
      ),
    );
    expect(memory.relation(cpu, [disk])?.relation).toBe('apart');
    expect(memory.relation(cpu, [errors])?.relation).toBe('apart');
    expect(memory.relation(disk, [errors])).toBeUndefined();
    expect(memory.keptApart([cpu], [errors, disk])).toBe(true);
    expect(memory.keptApart([disk], [errors])).toBe(false);
  });

  it('judges an incident as a whole: apart from most of it, joined with at least half of it', () => {
    const memory = new FeedbackMemory();
    memory.learn(
      split(
        'fb-1',
        ['f3'],
        [
          a('f1', 'DiskFull', 'orders-db', 'inc-a'),
          a('f2', 'HighErrorRate', 'checkout', 'inc-a'),
          a('f3', 'HighCpu', 'search', 'inc-a'),
        ],
      ),
    );
    const latency = 'HighLatency@frontend';
    const node = 'NodeDown@node-1';
    // split from both: apart from an incident of those two, or of them and one more
    expect(memory.relation(cpu, [disk, errors, latency])?.relation).toBe('apart');
    // one of them inside a larger, different incident is no reason to part
    expect(memory.relation(cpu, [disk, latency, node])).toBeUndefined();
    memory.learn(
      merge('fb-2', [
        a('f3', 'HighCpu', 'search', 'inc-a'),
        a('f4', 'HighLatency', 'frontend', 'inc-b'),
      ]),
    );
    expect(memory.relation(cpu, [latency, node])).toMatchObject({
      relation: 'join',
      feedbackId: 'fb-2',
    });
    expect(memory.relation(cpu, [latency, node, disk])).toBeUndefined();
  });

  it('lets a later correction of a pair override an earlier one', () => {
    const memory = new FeedbackMemory();
    memory.learn(
      split(
        'fb-1',
        ['f3'],
        [a('f2', 'HighErrorRate', 'checkout', 'inc-a'), a('f3', 'HighCpu', 'search', 'inc-a')],
      ),
    );
    expect(memory.relation(cpu, [errors])?.relation).toBe('apart');
    memory.learn(
      merge('fb-2', [
        a('f2', 'HighErrorRate', 'checkout', 'inc-a'),
        a('f3', 'HighCpu', 'search', 'inc-b'),
      ]),
    );
    expect(memory.relation(cpu, [errors])).toMatchObject({ relation: 'join', feedbackId: 'fb-2' });
  });

  it('learns a correction once however often it is read, and a split of one kind teaches nothing', () => {
    const memory = new FeedbackMemory();
    const twoDisks = split(
      'fb-5',
      ['f2'],
      [a('f1', 'DiskFull', 'orders-db', 'inc-a'), a('f2', 'DiskFull', 'orders-db', 'inc-a')],
    );
    memory.learn(twoDisks);
    memory.learn(twoDisks);
    expect(memory.size()).toEqual({ join: 0, apart: 0 });
  });

  it('forgets the oldest pairs beyond its bound', () => {
    const memory = new FeedbackMemory(1);
    memory.learn(
      merge('fb-1', [
        a('f1', 'DiskFull', 'orders-db', 'inc-a'),
        a('f2', 'HighCpu', 'search', 'inc-b'),
      ]),
    );
    memory.learn(
      merge('fb-2', [
        a('f1', 'DiskFull', 'orders-db', 'inc-a'),
        a('f3', 'HighErrorRate', 'checkout', 'inc-b'),
      ]),
    );
    expect(memory.relation(disk, [cpu])).toBeUndefined();
    expect(memory.relation(disk, [errors])?.feedbackId).toBe('fb-2');
  });
});

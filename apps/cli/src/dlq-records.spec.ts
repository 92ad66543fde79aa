import type { DlqRecord } from '@vigil/contracts';
import { DEAD_LETTER_COUNT_HEADER, type StoredDeadLetter } from '@vigil/messaging';
import {
  bytesText,
  isSelected,
  listLine,
  parseSince,
  redriveDecision,
  showText,
} from './dlq-records';

const now = Date.parse('2026-12-02T12:00:00Z');

function stored(over: Partial<DlqRecord> = {}, deadLettered = 1, offset = '7'): StoredDeadLetter {
  return {
    partition: 0,
    offset,
    record: {
      schemaVersion: 1,
      originalTopic: 'vigil.topology.v1',
      partition: 2,
      offset: '41',
      consumerGroup: 'vigil-topology-sync',
      keyBase64: Buffer.from('checkout').toString('base64'),
      valueBase64: Buffer.from('{"schemaVersion":1}').toString('base64'),
      headers: { [DEAD_LETTER_COUNT_HEADER]: String(deadLettered) },
      errorKind: 'schema-violation',
      reason: 'op: Invalid input',
      attempts: 1,
      failedAt: '2026-12-02T11:50:00.000Z',
      ...over,
    },
  };
}

describe('parseSince', () => {
  it('takes a while ago or an ISO time', () => {
    expect(parseSince('15m', now)).toBe(now - 15 * 60_000);
    expect(parseSince('2h', now)).toBe(now - 2 * 3_600_000);
    expect(parseSince('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseSince('2026-12-02T10:00:00Z', now)).toBe(Date.parse('2026-12-02T10:00:00Z'));
  });

  it('says what it takes when it cannot read the time', () => {
    expect(() => parseSince('yesterday', now)).toThrow(/ISO time .* 15m/);
  });
});

describe('isSelected', () => {
  it('narrows by original topic and by failure time', () => {
    const record = stored();
    expect(isSelected(record, {})).toBe(true);
    expect(isSelected(record, { topic: 'vigil.topology.v1' })).toBe(true);
    expect(isSelected(record, { topic: 'vigil.logs.v1' })).toBe(false);
    expect(isSelected(record, { since: parseSince('15m', now) })).toBe(true);
    expect(isSelected(record, { since: parseSince('5m', now) })).toBe(false);
  });

  it('shows a record that breaks the DLQ contract only when nothing narrows the list', () => {
    const unreadable = { partition: 0, offset: '3', unreadable: 'not valid JSON' };
    expect(isSelected(unreadable, {})).toBe(true);
    expect(isSelected(unreadable, { topic: 'vigil.topology.v1' })).toBe(false);
  });
});

describe('listLine and showText', () => {
  it('name where the record is, where it came from, why and how often it failed', () => {
    const line = listLine(stored({}, 2), true);
    expect(line).toMatch(
      /^0:7 {2}2026-12-02T11:50:00.000Z {2}vigil.topology.v1\[2\]@41 {2}schema-violation/,
    );
    expect(line).toContain('dead-lettered 2 times  [redrive done]  op: Invalid input');
    const text = showText(stored());
    expect(text).toContain('key           checkout');
    expect(text).toContain('"schemaVersion": 1');
    expect(text).toContain(`  ${DEAD_LETTER_COUNT_HEADER}: 1`);
  });

  it('prints bytes that are not text as base64, saying so', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x00]).toString('base64');
    expect(bytesText(bytes)).toBe(`(binary, base64) ${bytes}`);
    expect(bytesText(Buffer.from('{oops').toString('base64'))).toBe('{oops');
    expect(bytesText(null)).toBe('(none)');
  });
});

describe('redriveDecision', () => {
  const selection = { topic: 'vigil.topology.v1' };

  it('replays a record of the topic until it was replayed the maximum number of times', () => {
    expect(redriveDecision(stored({}, 1), selection, 3).action).toBe('replay');
    expect(redriveDecision(stored({}, 3), selection, 3).action).toBe('replay');
    const refused = redriveDecision(stored({}, 4), selection, 3);
    expect(refused).toMatchObject({ action: 'refuse' });
    if (refused.action === 'refuse')
      expect(refused.why).toBe(
        'replayed 3 times already and dead-lettered each time (at most 3): fix its cause first',
      );
  });

  it('refuses to replay a record whose value was too big to park whole', () => {
    const refused = redriveDecision(stored({ valueBytes: 9_000_000 }), selection, 3);
    expect(refused).toMatchObject({ action: 'refuse' });
    if (refused.action === 'refuse') expect(refused.why).toContain('too big to park whole');
  });

  it('counts a record without a count (parked before counts existed) as dead-lettered once', () => {
    expect(redriveDecision(stored({ headers: {} }), selection, 1).action).toBe('replay');
    expect(redriveDecision(stored({ headers: {} }), selection, 0).action).toBe('refuse');
  });

  it('passes over records of other topics, older than --since, or unreadable', () => {
    expect(redriveDecision(stored(), { topic: 'vigil.logs.v1' }, 3)).toEqual({
      action: 'pass',
      why: 'other-topic',
    });
    expect(redriveDecision(stored(), { ...selection, since: parseSince('5m', now) }, 3)).toEqual({
      action: 'pass',
      why: 'older',
    });
    expect(redriveDecision({ partition: 0, offset: '1', unreadable: 'x' }, selection, 3)).toEqual({
      action: 'pass',
      why: 'unreadable',
    });
  });
});

import type { DlqRecord } from '@vigil/contracts';
import { deadLetterCount, type StoredDeadLetter } from '@vigil/messaging';

/** Which DLQ records a command is about. */
export interface DlqSelection {
  /** Only records whose original topic is this one. */
  topic?: string;
  /** Only records that failed at or after this time (ms). */
  since?: number;
}

const unitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO time (2026-12-02T10:00:00Z) or a while ago (90s, 15m, 2h, 7d). */
export function parseSince(text: string, now: number): number {
  const ago = /^(\d+)([smhd])$/.exec(text.trim());
  if (ago) return now - Number(ago[1]) * (unitMs[ago[2] ?? 's'] ?? 1_000);
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw new Error(`--since ${text}: give an ISO time (2026-12-02T10:00:00Z) or 90s, 15m, 2h, 7d`);
  return at;
}

/** Where a record sits on the DLQ, as list prints it and show takes it: PARTITION:OFFSET. */
export const recordRef = (stored: Pick<StoredDeadLetter, 'partition' | 'offset'>): string =>
  `${stored.partition}:${stored.offset}`;

export function isSelected(stored: StoredDeadLetter, selection: DlqSelection): boolean {
  const { record } = stored;
  // a record that breaks the DLQ contract has no topic or time: shown only when nothing narrows
  if (!record) return selection.topic === undefined && selection.since === undefined;
  if (selection.topic !== undefined && record.originalTopic !== selection.topic) return false;
  return selection.since === undefined || Date.parse(record.failedAt) >= selection.since;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/** One line per record; `done`: the redrive of its topic is past it. */
export function listLine(stored: StoredDeadLetter, done = false): string {
  const { record } = stored;
  if (!record)
    return `${recordRef(stored)}  (not a DLQ record: ${oneLine(stored.unreadable ?? '', 120)})`;
  const origin = `${record.originalTopic}[${record.partition}]@${record.offset}`;
  const count = `dead-lettered ${times(Math.max(1, deadLetterCount(record.headers)))}`;
  const mark = done ? '  [redrive done]' : '';
  return `${recordRef(stored)}  ${record.failedAt}  ${origin}  ${record.errorKind}  ${count}${mark}  ${oneLine(record.reason, 160)}`;
}

/** The bytes as text when they are text (JSON indented), else base64 with a note. */
export function bytesText(base64: string | null): string {
  if (base64 === null) return '(none)';
  const bytes = Buffer.from(base64, 'base64');
  const text = bytes.toString('utf8');
  // eslint-disable-next-line no-control-regex
  const readable = Buffer.from(text, 'utf8').equals(bytes) && !/[\x00-\x08\x0e-\x1f]/.test(text);
  if (!readable) return `(binary, base64) ${base64}`;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Everything about one record, for a person deciding whether to replay it. */
export function showText(stored: StoredDeadLetter): string {
  const { record } = stored;
  if (!record) return `${recordRef(stored)}: not a DLQ record: ${stored.unreadable ?? ''}`;
  const headers = Object.entries(record.headers).map(([k, v]) => `  ${k}: ${v}`);
  return [
    `record        ${recordRef(stored)}`,
    `failed at     ${record.failedAt}`,
    `origin        ${record.originalTopic} partition ${record.partition} offset ${record.offset}`,
    `group         ${record.consumerGroup}`,
    `error         ${record.errorKind} after ${record.attempts} attempt(s)`,
    `dead-lettered ${times(Math.max(1, deadLetterCount(record.headers)))}`,
    `reason        ${record.reason}`,
    `key           ${bytesText(record.keyBase64)}`,
    'headers',
    ...(headers.length > 0 ? headers : ['  (none)']),
    'value',
    bytesText(record.valueBase64),
  ].join('\n');
}

/** The group whose committed offsets on the DLQ say how far the redrive of `topic` went. */
export const redriveGroupId = (topic: string): string => `vigil-dlq-redrive.${topic}`;

export type RedriveDecision =
  | { action: 'replay'; record: DlqRecord }
  /** Not for this redrive: another topic, or older than --since. */
  | { action: 'pass'; why: 'other-topic' | 'older' | 'unreadable' }
  /** Replayed too often already: it failed each time, another replay would only fail again. */
  | { action: 'refuse'; record: DlqRecord; why: string };

/**
 * What the redrive of `selection.topic` does with one DLQ record. A record that went to the DLQ
 * more than `maxAttempts` times (it was replayed `maxAttempts` times and failed each time) is
 * refused: a message that stays invalid is replayed a bounded number of times, never in a loop.
 */
export function redriveDecision(
  stored: StoredDeadLetter,
  selection: DlqSelection & { topic: string },
  maxAttempts: number,
): RedriveDecision {
  const { record } = stored;
  if (!record) return { action: 'pass', why: 'unreadable' };
  if (record.originalTopic !== selection.topic) return { action: 'pass', why: 'other-topic' };
  if (!isSelected(stored, selection)) return { action: 'pass', why: 'older' };
  if (record.valueBytes !== undefined)
    return {
      action: 'refuse',
      record,
      why: `its value (${record.valueBytes} bytes) was too big to park whole: only its first part is kept`,
    };
  const replays = Math.max(1, deadLetterCount(record.headers)) - 1;
  if (replays >= maxAttempts)
    return {
      action: 'refuse',
      record,
      why: `replayed ${times(replays)} already and dead-lettered each time (at most ${maxAttempts}): fix its cause first`,
    };
  return { action: 'replay', record };
}

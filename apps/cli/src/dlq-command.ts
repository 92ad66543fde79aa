import type { Command } from 'commander';
import type { Kafka } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import {
  EventPublisher,
  handleNewDeadLetters,
  originalMessage,
  readDeadLetters,
  readGroupPosition,
  type StoredDeadLetter,
} from '@vigil/messaging';
import {
  isSelected,
  listLine,
  parseSince,
  recordRef,
  redriveDecision,
  redriveGroupId,
  showText,
  type DlqSelection,
} from './dlq-records';
import { numberOption } from './number-option';
import { commandKafka } from './command-clients';

interface SelectionOptions {
  topic?: string;
  since?: string;
}

interface RedriveOptions {
  topic: string;
  since?: string;
  maxAttempts: string;
}

type Print = (line: string) => void;

function selectionOf(options: SelectionOptions, now = Date.now()): DlqSelection {
  return {
    topic: options.topic,
    since: options.since === undefined ? undefined : parseSince(options.since, now),
  };
}

/** Whether the redrive of each record's topic is past it. */
async function redriveDone(kafka: Kafka, records: StoredDeadLetter[]): Promise<Set<string>> {
  const done = new Set<string>();
  const topics = new Set(records.flatMap((s) => (s.record ? [s.record.originalTopic] : [])));
  for (const topic of topics) {
    const position = await readGroupPosition(kafka, redriveGroupId(topic));
    for (const stored of records)
      if (
        stored.record?.originalTopic === topic &&
        BigInt(stored.offset) < (position.get(stored.partition) ?? 0n)
      )
        done.add(recordRef(stored));
  }
  return done;
}

export async function listDeadLetters(
  kafka: Kafka,
  selection: DlqSelection,
  print: Print,
): Promise<void> {
  const records = (await readDeadLetters(kafka)).filter((s) => isSelected(s, selection));
  const done = await redriveDone(kafka, records);
  for (const stored of records) print(listLine(stored, done.has(recordRef(stored))));
  print(`${records.length} record(s) on ${Topics.dlq.name}`);
}

async function showDeadLetters(
  kafka: Kafka,
  ref: string | undefined,
  selection: DlqSelection,
  print: Print,
): Promise<void> {
  const records = (await readDeadLetters(kafka)).filter((s) =>
    ref === undefined ? isSelected(s, selection) : recordRef(s) === ref,
  );
  if (ref !== undefined && records.length === 0)
    throw new Error(`no record ${ref} on ${Topics.dlq.name} (vigil dlq list names them)`);
  print(records.map(showText).join('\n\n'));
}

/**
 * Replays the DLQ records of `selection.topic` not replayed before to that topic, byte for byte
 * with their headers and dead-letter count; refuses those replayed `maxAttempts` times already.
 * How far it went is kept as the offsets of the group `vigil-dlq-redrive.<topic>`, so a record is
 * replayed once, and one that fails again is a new record for the next redrive.
 */
export async function redriveDeadLetters(
  kafka: Kafka,
  selection: DlqSelection & { topic: string },
  maxAttempts: number,
  print: Print,
): Promise<{ replayed: number; refused: number; passed: number }> {
  const counts = { replayed: 0, refused: 0, passed: 0 };
  const publisher = new EventPublisher(kafka);
  try {
    await handleNewDeadLetters(kafka, redriveGroupId(selection.topic), async (stored) => {
      const decision = redriveDecision(stored, selection, maxAttempts);
      if (decision.action === 'replay') {
        await publisher.sendRaw(selection.topic, [originalMessage(decision.record)]);
        counts.replayed++;
        print(`replayed ${recordRef(stored)} to ${selection.topic}[${decision.record.partition}]`);
      } else if (decision.action === 'refuse') {
        counts.refused++;
        print(`refused  ${recordRef(stored)}: ${decision.why}`);
      } else if (decision.why === 'older') counts.passed++;
    });
  } finally {
    await publisher.disconnect();
  }
  const older = counts.passed > 0 ? `, ${counts.passed} older than --since passed over` : '';
  print(`${counts.replayed} replayed, ${counts.refused} refused${older}`);
  return counts;
}

export function registerDlqCommand(program: Command): void {
  const print: Print = (line) => console.log(line);
  const dlq = program
    .command('dlq')
    .description(`what consumers could not process (${Topics.dlq.name}), and replaying it`);
  dlq
    .command('list')
    .description('one line per record: where it came from, why it failed, how often')
    .option('--topic <topic>', 'only records of this original topic')
    .option('--since <time>', 'only records that failed since: an ISO time, or 90s, 15m, 2h, 7d')
    .action(async (options: SelectionOptions) =>
      listDeadLetters(await commandKafka('vigil dlq list'), selectionOf(options), print),
    );
  dlq
    .command('show')
    .description('records in full: reason, headers, key and value')
    .argument('[record]', 'one record, PARTITION:OFFSET as list prints it; else all selected')
    .option('--topic <topic>', 'only records of this original topic')
    .option('--since <time>', 'only records that failed since: an ISO time, or 90s, 15m, 2h, 7d')
    .action(async (ref: string | undefined, options: SelectionOptions) =>
      showDeadLetters(await commandKafka('vigil dlq show'), ref, selectionOf(options), print),
    );
  dlq
    .command('redrive')
    .description(
      'replay the records of a topic not replayed before to that topic (every group consuming it sees them again: handlers are idempotent)',
    )
    .requiredOption('--topic <topic>', 'the original topic whose records are replayed')
    .option('--since <time>', 'only records that failed since; older ones are passed over for good')
    .option(
      '--max-attempts <n>',
      'refuse a record replayed this many times already (each replay failed)',
      '3',
    )
    .action(async (options: RedriveOptions) => {
      const maxAttempts = numberOption(options.maxAttempts, '--max-attempts', {
        integer: true,
        min: 0,
      });
      await redriveDeadLetters(
        await commandKafka('vigil dlq redrive'),
        { ...selectionOf(options), topic: options.topic },
        maxAttempts,
        print,
      );
    });
}

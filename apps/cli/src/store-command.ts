import type { Command } from 'commander';
import { decodeEvent } from '@vigil/contracts';
import { IncidentStoreRepository } from '@vigil/graph';
import { foldIncidentHistory, historyFeeds, type HistoryRecord } from '@vigil/incident-view';
import { readTopicToEnd } from '@vigil/messaging';
import type { Kafka } from 'kafkajs';
import { commandGraph, commandKafka } from './command-clients';

/**
 * Every record the incident topics still hold, topic by topic from the beginning (each under a
 * throwaway group); messages that do not decode are skipped, as the writer's DLQ took them.
 */
async function readRecords(kafka: Kafka): Promise<HistoryRecord[]> {
  const readers = historyFeeds((topic, toRecord) => async () => {
    const records: HistoryRecord[] = [];
    await readTopicToEnd(kafka, topic.name, (message) => {
      const decoded = decodeEvent(topic, message.value);
      if (decoded.ok) records.push(toRecord(decoded.value));
    });
    console.log(`${topic.name}: ${records.length} events`);
    return records;
  });
  const all: HistoryRecord[] = [];
  for (const read of readers) all.push(...(await read()));
  return all;
}

/**
 * The records of incidents whose id starts with `prefix`, with the decisions on their plans
 * (decisions name only the plan, which this read or the store knows).
 */
async function recordsOf(
  records: readonly HistoryRecord[],
  prefix: string,
  store: IncidentStoreRepository,
): Promise<HistoryRecord[]> {
  const ours = (id: string | undefined) => id !== undefined && id.startsWith(prefix);
  const plans = new Set(
    records.filter((r) => r.kind === 'plan' && ours(r.incidentId)).map((r) => r.planId),
  );
  const kept: HistoryRecord[] = [];
  for (const r of records) {
    if (ours(r.incidentId)) kept.push(r);
    else if (r.kind === 'decision' && r.planId) {
      if (plans.has(r.planId) || ours(await store.incidentOfPlan(r.planId))) kept.push(r);
    }
  }
  return kept;
}

/**
 * Re-creates the incident store from the topics: stores every event (idempotent: what is there
 * stays once), then folds each incident they concern once. What the topics no longer hold but the
 * store does is kept.
 */
async function rebuildStore(options: { incident?: string }): Promise<void> {
  const kafka = await commandKafka('vigil store rebuild');
  const connection = await commandGraph('vigil store rebuild');
  try {
    const store = new IncidentStoreRepository(connection);
    await store.applySchema();
    const read = await readRecords(kafka);
    const records = options.incident ? await recordsOf(read, options.incident, store) : read;
    const incidents = new Set<string>();
    for (const record of records) {
      await store.put(record);
      const id = record.incidentId ?? (await store.incidentOfPlan(record.planId));
      if (id) incidents.add(id);
    }
    for (const id of incidents) await store.refold(id, foldIncidentHistory);
    console.log(`stored ${records.length} events; folded ${incidents.size} incidents`);
  } finally {
    await connection.close();
  }
}

export function registerStoreCommand(program: Command): void {
  program
    .command('store')
    .description('the durable incident store in Neo4j')
    .command('rebuild')
    .description(
      'store every event the incident topics still hold and re-fold their incidents (safe to repeat)',
    )
    .option('--incident <prefix>', 'only the incidents whose id starts with this')
    .action(rebuildStore);
}

import type { Command } from 'commander';
import { allTopics } from '@vigil/contracts';
import { checkTopicConfigs, ensureTopics, type TopicConfigDrift } from '@vigil/messaging';
import { commandKafka } from './command-clients';

/** One line per setting that differs: topic, setting, what it is, what the registry asks. */
export function driftLines(drift: readonly TopicConfigDrift[]): string[] {
  return drift.map((d) => `${d.topic}  ${d.name}: ${d.have ?? '(not set)'} -> ${d.want}`);
}

async function checkTopics(options: { fix?: boolean }): Promise<void> {
  const kafka = await commandKafka('vigil topics check');
  const created = await ensureTopics(kafka, allTopics);
  for (const name of created) process.stdout.write(`created ${name}\n`);
  const { drift, fixed } = await checkTopicConfigs(kafka, allTopics, { fix: options.fix === true });
  if (drift.length === 0) {
    process.stdout.write(`every topic has the registry's settings (${allTopics.length} topics)\n`);
    return;
  }
  for (const line of driftLines(drift)) process.stdout.write(`${line}\n`);
  if (options.fix) process.stdout.write(`set on ${fixed.length} topic(s): ${fixed.join(', ')}\n`);
  else {
    process.stdout.write('run `vigil topics check --fix` as the Kafka admin to set them\n');
    process.exitCode = 1;
  }
}

export function registerTopicsCommand(program: Command): void {
  program
    .command('topics')
    .description("Vigil's Kafka topics")
    .command('check')
    .option('--fix', "set every setting that differs to the registry's (needs AlterConfigs)")
    .description(
      "create missing topics and compare each topic's settings (retention, compaction, message size) with the registry's",
    )
    .action(checkTopics);
}

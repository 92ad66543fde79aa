import { ConfigResourceTypes, ConfigSource, type ConfigEntries, type Kafka } from 'kafkajs';
import type { TopicDefinition } from '@vigil/contracts';
import type { z } from 'zod';

/** What provisioning reads of a topic: its name, partitions and settings, whatever its schema. */
type AnyTopic = Pick<
  TopicDefinition<z.ZodType>,
  'name' | 'partitions' | 'compacted' | 'maxMessageBytes' | 'extraConfig'
>;

/** The topic-level settings the registry asks of a topic: compaction, message size, retention. */
export function topicConfig(t: AnyTopic): Record<string, string> {
  return {
    ...(t.compacted ? { 'cleanup.policy': 'compact' } : {}),
    ...(t.maxMessageBytes ? { 'max.message.bytes': String(t.maxMessageBytes) } : {}),
    ...t.extraConfig,
  };
}

type Admin = ReturnType<Kafka['admin']>;

async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates the topics that do not exist yet, with the partitions and settings of the registry. Idempotent. */
export function ensureTopics(
  kafka: Kafka,
  topics: ReadonlyArray<AnyTopic>,
  replicationFactor = 1,
): Promise<string[]> {
  return withAdmin(kafka, async (admin) =>
    createMissing(admin, topics, new Set(await admin.listTopics()), replicationFactor),
  );
}

async function createMissing(
  admin: Admin,
  topics: ReadonlyArray<AnyTopic>,
  existing: ReadonlySet<string>,
  replicationFactor: number,
): Promise<string[]> {
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor,
      configEntries: Object.entries(topicConfig(t)).map(([name, value]) => ({ name, value })),
    })),
  });
  return missing.map((t) => t.name);
}

/** A setting of an existing topic that differs from what the registry asks. */
export interface TopicConfigDrift {
  topic: string;
  name: string;
  want: string;
  /** What the broker applies now (its default when the topic has no setting of its own). */
  have: string | undefined;
}

/**
 * How a registry setting is met. The registry asks what Vigil needs, and an operator may have set
 * a topic beyond it: a longer retention, room for bigger messages, segments rolled or cleaned
 * sooner. Such a value meets the need and stays; only a value short of it is drift (and put right
 * with `fix`). Any other setting must be what the registry says (`cleanup.policy: compact`).
 * For retention, -1 is for ever.
 */
const settingNeeds: Readonly<Record<string, 'at-least' | 'at-most'>> = {
  'retention.ms': 'at-least',
  'retention.bytes': 'at-least',
  'max.message.bytes': 'at-least',
  'segment.ms': 'at-most',
  'min.cleanable.dirty.ratio': 'at-most',
};

/** Whether the value a topic has meets the registry's `want` for setting `name`. */
export function meetsSetting(name: string, want: string, have: string | undefined): boolean {
  if (have === want) return true;
  const need = settingNeeds[name];
  // Number('') is 0: only a written number is compared
  const numeric = (v: string | undefined): v is string =>
    v !== undefined && /^-?\d+(\.\d+)?$/.test(v);
  if (!need || !numeric(have) || !numeric(want)) return false;
  const [w, h] = [Number(want), Number(have)];
  const forEver = (v: number) => (name.startsWith('retention.') && v < 0 ? Infinity : v);
  return need === 'at-least' ? forEver(h) >= forEver(w) : h <= w;
}

/** The registry's settings a topic's described configuration does not meet (see meetsSetting). */
export function configDrift(
  topic: string,
  want: Record<string, string>,
  current: readonly ConfigEntries[],
): TopicConfigDrift[] {
  const have = new Map(current.map((c) => [c.configName, c.configValue]));
  return Object.entries(want)
    .filter(([name, value]) => !meetsSetting(name, value, have.get(name)))
    .map(([name, value]) => ({ topic, name, want: value, have: have.get(name) }));
}

/**
 * The topic's own settings after the change: Kafka's AlterConfigs replaces every setting set on
 * the topic, so the ones an operator set by hand are carried over, and the registry's replace
 * those that fall short of it (see meetsSetting). A registry value the broker's default meets is
 * set on the topic all the same: a default may be lowered later, a topic's own setting stays.
 */
export function settingsAfter(
  want: Record<string, string>,
  current: readonly ConfigEntries[],
): Array<{ name: string; value: string }> {
  const own = Object.fromEntries(
    current
      .filter((c) => c.configSource === ConfigSource.TOPIC_CONFIG)
      .map((c) => [c.configName, c.configValue]),
  );
  const short = Object.entries(want).filter(
    ([name, value]) => !meetsSetting(name, value, own[name]),
  );
  return Object.entries({ ...own, ...Object.fromEntries(short) }).map(([name, value]) => ({
    name,
    value,
  }));
}

export interface TopicConfigCheck {
  drift: TopicConfigDrift[];
  /** The topics whose settings were changed to the registry's (with `fix`). */
  fixed: string[];
}

/**
 * Compares the settings of the registry's existing topics with what the registry asks, and with
 * `fix` sets them. A topic created before its settings were applied (retention kept for ever,
 * compaction) would otherwise lose what it must keep when the broker's retention runs out. Needs
 * DescribeConfigs, and AlterConfigs to fix: on a secured cluster, the admin's (`vigil topics`).
 */
export function checkTopicConfigs(
  kafka: Kafka,
  topics: ReadonlyArray<AnyTopic>,
  options: { fix: boolean },
): Promise<TopicConfigCheck> {
  return withAdmin(kafka, async (admin) =>
    compareSettings(admin, topics, new Set(await admin.listTopics()), options.fix),
  );
}

/**
 * What an app does at start, in one admin session: creates the missing topics (a failure is
 * thrown), then compares the existing ones' settings and sets them (`checkTopicConfigs` with
 * `fix`); a failure there, a refusal on a secured cluster say, is returned, not thrown.
 */
export function provisionTopics(
  kafka: Kafka,
  topics: ReadonlyArray<AnyTopic>,
): Promise<{ created: string[]; settings: TopicConfigCheck | { error: unknown } }> {
  return withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const created = await createMissing(admin, topics, existing, 1);
    const settings = await compareSettings(admin, topics, existing, true).catch(
      (error: unknown) => ({ error }),
    );
    return { created, settings };
  });
}

async function compareSettings(
  admin: Admin,
  topics: ReadonlyArray<AnyTopic>,
  existing: ReadonlySet<string>,
  fix: boolean,
): Promise<TopicConfigCheck> {
  const wanted = topics
    .filter((t) => existing.has(t.name))
    .map((t) => ({ name: t.name, config: topicConfig(t) }))
    .filter((t) => Object.keys(t.config).length > 0);
  if (wanted.length === 0) return { drift: [], fixed: [] };
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: wanted.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name })),
  });
  const byName = new Map(resources.map((r) => [r.resourceName, r.configEntries]));
  const drift: TopicConfigDrift[] = [];
  const fixed: string[] = [];
  for (const { name, config } of wanted) {
    const current = byName.get(name) ?? [];
    const off = configDrift(name, config, current);
    drift.push(...off);
    if (!fix || off.length === 0) continue;
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name, configEntries: settingsAfter(config, current) },
      ],
    });
    fixed.push(name);
  }
  return { drift, fixed };
}

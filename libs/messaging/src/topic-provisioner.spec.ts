import { ConfigSource, type ConfigEntries } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import { configDrift, meetsSetting, settingsAfter, topicConfig } from './topic-provisioner';

const entry = (configName: string, configValue: string, own: boolean): ConfigEntries => ({
  configName,
  configValue,
  isDefault: !own,
  configSource: own ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG,
  isSensitive: false,
  readOnly: false,
  configSynonyms: [],
});

describe("a topic's settings from the registry", () => {
  it('asks retention for ever of the topics that keep what people decided', () => {
    expect(topicConfig(Topics.alertPolicy)).toEqual({ 'retention.ms': '-1' });
    expect(topicConfig(Topics.incidentFeedback)).toEqual({ 'retention.ms': '-1' });
    expect(topicConfig(Topics.correlatorChangelog)).toMatchObject({
      'cleanup.policy': 'compact',
      'segment.ms': '600000',
    });
    expect(topicConfig(Topics.alertsRaw)).toEqual({});
  });

  it("names each setting a topic lacks, with the broker's value beside the registry's", () => {
    const described = [
      entry('retention.ms', '259200000', false),
      entry('segment.ms', '600000', true),
    ];
    expect(configDrift('t', { 'retention.ms': '-1', 'segment.ms': '600000' }, described)).toEqual([
      { topic: 't', name: 'retention.ms', want: '-1', have: '259200000' },
    ]);
  });

  it('leaves a setting an operator took beyond what Vigil needs, and names one short of it', () => {
    const described = [
      entry('retention.ms', '604800000', true), // a week, where the registry asks for ever
      entry('max.message.bytes', String(64 * 1024 * 1024), true), // room for more than 32 MiB
      entry('segment.ms', '60000', true), // rolled sooner than every 10 minutes
      entry('min.cleanable.dirty.ratio', '0.5', true), // cleaned later than at 0.1
      entry('cleanup.policy', 'compact,delete', true),
    ];
    const want = {
      'retention.ms': '-1',
      'max.message.bytes': String(32 * 1024 * 1024),
      'segment.ms': '600000',
      'min.cleanable.dirty.ratio': '0.1',
      'cleanup.policy': 'compact',
    };
    expect(configDrift('t', want, described).map((d) => d.name)).toEqual([
      'retention.ms',
      'min.cleanable.dirty.ratio',
      'cleanup.policy',
    ]);
    // put right, the operator's bigger messages and sooner segments stay
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(settingsAfter(want, described).sort(byName)).toEqual([
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'max.message.bytes', value: String(64 * 1024 * 1024) },
      { name: 'min.cleanable.dirty.ratio', value: '0.1' },
      { name: 'retention.ms', value: '-1' },
      { name: 'segment.ms', value: '60000' },
    ]);
  });

  it('reads a retention of -1 as for ever, on either side', () => {
    expect(meetsSetting('retention.ms', '604800000', '-1')).toBe(true);
    expect(meetsSetting('retention.ms', '-1', '604800000')).toBe(false);
    expect(meetsSetting('retention.bytes', '-1', '-1')).toBe(true);
    expect(meetsSetting('max.message.bytes', '1048576', undefined)).toBe(false);
    expect(meetsSetting('max.message.bytes', '1048576', 'lots')).toBe(false);
    expect(meetsSetting('segment.ms', '600000', '')).toBe(false);
  });

  it("sets a registry value on the topic even where the broker's default meets it", () => {
    // a default can be lowered later; a topic's own setting stays
    const described = [entry('max.message.bytes', String(64 * 1024 * 1024), false)];
    const want = { 'max.message.bytes': String(32 * 1024 * 1024) };
    expect(configDrift('t', want, described)).toEqual([]);
    expect(settingsAfter(want, described)).toEqual([
      { name: 'max.message.bytes', value: String(32 * 1024 * 1024) },
    ]);
  });

  it("keeps an operator's own settings beside the registry's when it changes a topic", () => {
    const described = [
      entry('retention.ms', '259200000', false),
      entry('min.compaction.lag.ms', '5000', true),
      entry('retention.ms.unused', 'x', false),
    ];
    expect(settingsAfter({ 'retention.ms': '-1' }, described)).toEqual([
      { name: 'min.compaction.lag.ms', value: '5000' },
      { name: 'retention.ms', value: '-1' },
    ]);
  });
});

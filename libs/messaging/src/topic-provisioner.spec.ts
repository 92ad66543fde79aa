import { ConfigSource, type ConfigEntries } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import { configDrift, settingsAfter, topicConfig } from './topic-provisioner';

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

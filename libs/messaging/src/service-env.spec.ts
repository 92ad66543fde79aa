import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { kafkaEnvSchema } from './kafka-settings';
import { consumerEnvFields, consumerSettingsFromEnv, serviceSettingsFromEnv } from './service-env';

const topologySync = kafkaEnvSchema.extend({
  TOPOLOGY_SYNC_PORT: envPort(3104),
  ...consumerEnvFields('topology-sync', 'writes from now on'),
  LOG_LEVEL: envLogLevel,
});

describe('the variables and settings every Kafka service shares', () => {
  it("reads an app's own variables under its name in capitals, dashes as underscores", () => {
    const env = topologySync.parse({
      TOPOLOGY_SYNC_PORT: '4000',
      TOPOLOGY_SYNC_START_AT: 'earliest',
    });
    expect({
      ...serviceSettingsFromEnv(env, 'topology-sync'),
      ...consumerSettingsFromEnv(env, 'topology-sync'),
    }).toEqual({
      logLevel: 'info',
      kafka: { brokers: ['localhost:9092'], clientId: 'vigil-topology-sync' },
      port: 4000,
      group: 'vigil-topology-sync',
      startAt: 'earliest',
    });
  });

  it('starts a new group at the end unless told otherwise, and says what that means for the app', () => {
    expect(consumerSettingsFromEnv(topologySync.parse({}), 'topology-sync').startAt).toBe('latest');
    const startAt = consumerEnvFields('rca', 'builds history from now on').RCA_START_AT;
    expect(startAt.description).toBe(
      'Where a new consumer group starts: latest builds history from now on, earliest replays.',
    );
    expect(() => startAt.parse('now')).toThrow('must be earliest or latest');
  });

  it('adds no start position for an app that names none', () => {
    expect(Object.keys(z.object(consumerEnvFields('topology-sync')).shape)).toEqual([
      'TOPOLOGY_SYNC_GROUP',
    ]);
  });
});

import { Kafka, logLevel, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';
import type { LoggerService } from '@nestjs/common';
import { withAccessErrors } from './kafka-access-errors';
import type { KafkaSaslSettings, KafkaSettings } from './kafka-settings';

/** kafkajs logs a consumer's refused group or topic (a crash) with its own words only. */
function refusalHint(settings: KafkaSettings, extra: Record<string, unknown>): object {
  if (typeof extra['error'] !== 'string' || !/not authorized/i.test(extra['error'])) return {};
  const user = settings.sasl?.username ?? 'ANONYMOUS';
  const group = typeof extra['groupId'] === 'string' ? ` (group ${extra['groupId']})` : '';
  return {
    hint: `the broker refused User:${user}${group}: an ACL is missing for it (docs/kafka-security.md)`,
  };
}

function kafkaLogCreator(settings: KafkaSettings, logger?: LoggerService): logCreator {
  return () =>
    ({ level, log }) => {
      if (!logger) return;
      const { message, ...extra } = log;
      const entry = { msg: `kafkajs: ${message}`, ...extra, ...refusalHint(settings, extra) };
      if (level === logLevel.ERROR) logger.error(entry, 'Kafka');
      else if (level === logLevel.WARN) logger.warn(entry, 'Kafka');
      else logger.debug?.(entry, 'Kafka');
    };
}

/** TLS and SASL as kafkajs takes them; nothing at all for a plaintext cluster. */
function securityConfig(settings: KafkaSettings): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const config: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (settings.ssl) config.ssl = settings.ssl.ca ? { ca: [settings.ssl.ca] } : true;
  if (settings.sasl) config.sasl = saslOptions(settings.sasl);
  return config;
}

function saslOptions({ mechanism, username, password }: KafkaSaslSettings): SASLOptions {
  // one branch per mechanism: kafkajs types each mechanism's options apart
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

/**
 * How long the broker holds a consumer's fetch that finds nothing. kafkajs' consumer.disconnect()
 * waits for the fetch in flight, so at its 5 s default every stop of an idle consumer took up to
 * 5 s, and a service with two (its lease and its work, stopped one after the other) up to 10: a
 * rolling restart waited that long per instance. A message still comes back as soon as it arrives
 * (a fetch returns at its first byte); an idle consumer asks once a second instead of every five.
 */
export const consumerFetchWaitMs = 1_000;

/** The client whose consumers fetch with consumerFetchWaitMs unless they say otherwise. */
export function withShortFetchWaits(kafka: Kafka): Kafka {
  return new Proxy(kafka, {
    get(object, property, receiver) {
      if (property !== 'consumer') return Reflect.get(object, property, receiver);
      return (config: Parameters<Kafka['consumer']>[0]) =>
        object.consumer({ maxWaitTimeInMs: consumerFetchWaitMs, ...config });
    },
  });
}

/**
 * The one place a kafkajs client is built: brokers, TLS, SASL, retries, logging and the
 * consumers' fetch wait are the same everywhere. A refusal by the broker (wrong password, missing
 * ACL) rejects with a KafkaAccessError that names the user and the ACL.
 */
export function createKafka(settings: KafkaSettings, logger?: LoggerService): Kafka {
  const command = settings.patience === 'command';
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: command ? 3_000 : 5_000,
    requestTimeout: 30_000,
    // a service waits out a broker's restart (about a minute of retries); a command gives up in
    // a few seconds: its user would otherwise stare at a silent terminal for that minute
    retry: command
      ? { initialRetryTime: 200, retries: 2, maxRetryTime: 1_000 }
      : { initialRetryTime: 200, retries: 10, maxRetryTime: 10_000 },
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: kafkaLogCreator(settings, logger),
    ...securityConfig(settings),
  });
  return withAccessErrors(withShortFetchWaits(kafka), settings);
}

/**
 * A client with the settings' own patience, once a quick first connection (patience 'command')
 * found a broker: a command someone waits on hears within seconds that Kafka is not there, and
 * its work still rides out a group coordinator being chosen. Rejects with the connection's error.
 */
export async function reachableKafka(
  settings: KafkaSettings,
  logger?: LoggerService,
): Promise<Kafka> {
  const probe = createKafka({ ...settings, patience: 'command' }).admin();
  await probe.connect();
  await probe.disconnect();
  return createKafka(settings, logger);
}

import { Kafka, logLevel, type logCreator } from 'kafkajs';
import type { LoggerService } from '@nestjs/common';
import type { KafkaSettings } from './kafka-settings';

function kafkaLogCreator(logger?: LoggerService): logCreator {
  return () =>
    ({ level, log }) => {
      if (!logger) return;
      const { message, ...extra } = log;
      const entry = { msg: `kafkajs: ${message}`, ...extra };
      if (level === logLevel.ERROR) logger.error(entry, 'Kafka');
      else if (level === logLevel.WARN) logger.warn(entry, 'Kafka');
      else logger.debug?.(entry, 'Kafka');
    };
}

/** The one place a kafkajs client is built: brokers, retries and logging are the same everywhere. */
export function createKafka(settings: KafkaSettings, logger?: LoggerService): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 10_000 },
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: kafkaLogCreator(logger),
  });
}

import type { LoggerService } from '@nestjs/common';
import type { Consumer } from 'kafkajs';

export interface FatalCrashRestartOptions {
  /** Who the consumer reads for, in the log lines. */
  name: string;
  logger?: LoggerService;
  /** How long after the crash (and after each failed attempt) to start the consumer again. */
  delayMs?: number;
  /** Called on every crash, restarted or not (the consumer has left its group). */
  onCrash?: () => void;
}

/**
 * Keeps a consumer running through crashes that kafkajs gives up on. kafkajs starts a crashed
 * consumer again itself only after an error it deems retriable; after any other, and a broker
 * restart can end in one (the group coordinator not found in time), the consumer stays stopped
 * for good while its process looks healthy. Here such a consumer is connected again and `run`
 * again with the subscriptions it had, as kafkajs' own restart does, after `delayMs` and again
 * after every failed attempt. Returns what the owner calls when it stops the consumer on
 * purpose: then it stays stopped, and a pending attempt is cancelled.
 */
export function restartAfterFatalCrash(
  consumer: Consumer,
  run: () => Promise<void>,
  options: FatalCrashRestartOptions,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  // Kafka in memory (specs) has no crash to report.
  if (!consumer.events?.CRASH) return stop;
  const attempt = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (stopped) return;
      consumer
        .connect()
        .then(run)
        .catch((error: unknown) => {
          options.logger?.warn?.(
            {
              msg: 'consumer not started again; trying again',
              consumer: options.name,
              error: String(error),
            },
            'ConsumerRestart',
          );
          attempt();
        });
    }, options.delayMs ?? 2_000);
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    options.onCrash?.();
    if (payload.restart || stopped) return;
    options.logger?.error(
      {
        msg: 'consumer stopped by an error kafkajs does not retry; starting it again',
        consumer: options.name,
        error: String(payload.error),
      },
      'ConsumerRestart',
    );
    attempt();
  });
  return stop;
}

import type { LoggerService } from '@nestjs/common';
import { clampArrival, correlationScope } from '@vigil/correlation';
import { Topics, type ScopedAlert } from '@vigil/contracts';
import { batchSubscription, type BatchSubscription, type EventPublisher } from '@vigil/messaging';

/**
 * Re-keys raw alerts (keyed by fingerprint) by correlation scope, so every alert that may share an
 * incident reaches the same correlator partition and instance.
 */
export function alertRouter(
  publisher: EventPublisher,
  scopeLabels: readonly string[],
  logger?: LoggerService,
  now: () => number = Date.now,
): BatchSubscription {
  return batchSubscription(Topics.alertsRaw, async (records) => {
    const scoped: ScopedAlert[] = records.map(({ event, meta }) => {
      // an alert stamped far ahead would move the correlator's clock there for good
      const { alert, clampedFrom } = clampArrival(event, now());
      if (clampedFrom)
        logger?.warn(
          {
            msg: 'an alert claimed to arrive in the future: read as arriving now',
            fingerprint: alert.fingerprint,
            receivedAt: clampedFrom,
            partition: meta.partition,
            offset: meta.offset,
          },
          'AlertRouter',
        );
      return {
        schemaVersion: 1,
        scope: correlationScope(alert, scopeLabels),
        alert,
        origin: { partition: meta.partition, offset: meta.offset },
      };
    });
    await publisher.publishMany(Topics.correlatorScopedAlerts, scoped);
  });
}

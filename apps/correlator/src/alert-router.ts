import { correlationScope } from '@vigil/correlation';
import { Topics, type ScopedAlert } from '@vigil/contracts';
import { batchSubscription, type BatchSubscription, type EventPublisher } from '@vigil/messaging';

/**
 * Re-keys raw alerts (keyed by fingerprint) by correlation scope, so every alert that may share an
 * incident reaches the same correlator partition and instance.
 */
export function alertRouter(
  publisher: EventPublisher,
  scopeLabels: readonly string[],
): BatchSubscription {
  return batchSubscription(Topics.alertsRaw, async (records) => {
    const scoped: ScopedAlert[] = records.map(({ event: alert, meta }) => ({
      schemaVersion: 1,
      scope: correlationScope(alert, scopeLabels),
      alert,
      origin: { partition: meta.partition, offset: meta.offset },
    }));
    await publisher.publishMany(Topics.correlatorScopedAlerts, scoped);
  });
}

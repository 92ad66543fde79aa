import {
  correlateBatch,
  decodeCorrelatorState,
  encodeCorrelatorState,
  IncidentCorrelator,
  type CorrelationConfig,
  type CorrelatorSnapshotJson,
  type SymptomPrototypes,
} from '@vigil/correlation';
import { Topics, type IncidentEvent, type ScopedAlert } from '@vigil/contracts';
import type { Embedder } from '@vigil/embeddings';
import type { EventPublisher, PartitionProcessor, PartitionRecord } from '@vigil/messaging';
import { admitAlerts, type AlertPolicyGate } from './alert-policy-gate';
import type { TopologyProvider } from './topology-provider';

/** One IncidentCorrelator per scoped-alert partition; embeddings are computed per batch. */
export class IncidentClusterProcessor implements PartitionProcessor<ScopedAlert> {
  private readonly correlators = new Map<number, IncidentCorrelator>();
  /** Per partition, its time after its latest batch (or its restore), and the wall clock then. */
  private readonly lastArrival = new Map<number, { stream: number; wall: number }>();
  /** Batches and expiry ticks run one at a time, so their events go out in the order they happened. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Silences, maintenance and inhibition: held-back alerts never reach the correlator. */
  policy?: AlertPolicyGate;
  /** People's merges and splits: learned by every correlator, applied again on a restore. */
  feedback?: { restored(correlator: IncidentCorrelator): void };
  private unpublished: IncidentEvent[] = [];

  constructor(
    private readonly config: CorrelationConfig,
    private readonly topology: TopologyProvider,
    private readonly embedder: Embedder,
    private readonly publisher: EventPublisher,
    private readonly symptomPrototypes: SymptomPrototypes,
    private readonly wallClock: () => number = Date.now,
  ) {}

  restore(partition: number, state: Record<string, unknown> | undefined): void {
    const restored = state
      ? decodeCorrelatorState(state as unknown as CorrelatorSnapshotJson)
      : undefined;
    const correlator = new IncidentCorrelator(
      this.config,
      this.topology.current,
      this.symptomPrototypes,
      restored,
    );
    this.feedback?.restored(correlator);
    this.correlators.set(partition, correlator);
    this.lastArrival.set(partition, { stream: correlator.time(), wall: this.wallClock() });
  }

  process(partition: number, records: Array<PartitionRecord<ScopedAlert>>): Promise<void> {
    return this.serially(async () => {
      const correlator = this.correlatorOf(partition);
      correlator.useTopology(this.topology.current);
      const { admitted: alerts, annotate } = admitAlerts(
        this.policy,
        records.map((r) => r.event.alert),
      );
      // Alerts past their deadline by an alert's arrival end before it is placed: a replay after
      // a restart decides as the first run did, whenever the timer ticked.
      const outcomes = await correlateBatch(
        correlator,
        alerts,
        (texts) => this.embedder.embed(texts),
        { expire: true },
      );
      this.lastArrival.set(partition, { stream: correlator.time(), wall: this.wallClock() });
      await this.publish(annotate(outcomes.flatMap((o) => o.events)));
    });
  }

  /**
   * Ends, on the partition, the alerts not sent again by their deadline and the incidents at their
   * maximum age: alerts that never send a resolve still end on a quiet stream. A partition's time
   * is that of its latest alert plus the wall-clock time since it came, so a stream of older alerts
   * (a replay, an import) is not ended by today's date. The stateful consumer runs it on a timer.
   */
  tick(partition: number): Promise<void> {
    return this.serially(async () => {
      const correlator = this.correlators.get(partition);
      if (!correlator) return;
      const wall = this.wallClock();
      const last = this.lastArrival.get(partition) ?? { stream: correlator.time(), wall };
      await this.publish(correlator.expire(last.stream + Math.max(0, wall - last.wall)));
    });
  }

  /** A change people asked for (a merge, a split), on every partition held, in turn with batches. */
  applyEverywhere(apply: (correlator: IncidentCorrelator) => IncidentEvent[]): Promise<void> {
    return this.serially(async () => {
      // Applied again, a correction changes nothing: what a failed publish did not send is kept
      // for the retry of the same correction.
      this.unpublished.push(...[...this.correlators.values()].flatMap(apply));
      await this.publish(this.unpublished);
      this.unpublished = [];
    });
  }

  /** `tick` on every partition held. */
  async expire(): Promise<void> {
    for (const partition of [...this.correlators.keys()]) await this.tick(partition);
  }

  snapshot(partition: number): Record<string, unknown> {
    return { ...encodeCorrelatorState(this.correlatorOf(partition).snapshot()) };
  }

  release(partition: number): void {
    this.correlators.delete(partition);
    this.lastArrival.delete(partition);
  }

  private async publish(events: IncidentEvent[]): Promise<void> {
    if (events.length > 0) await this.publisher.publishMany(Topics.incidents, events);
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private correlatorOf(partition: number): IncidentCorrelator {
    const correlator = this.correlators.get(partition);
    if (!correlator) throw new Error(`partition ${partition} was not restored before use`);
    return correlator;
  }
}

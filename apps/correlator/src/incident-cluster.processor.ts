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
import type { TopologyProvider } from './topology-provider';

/** One IncidentCorrelator per scoped-alert partition; embeddings are computed per batch. */
export class IncidentClusterProcessor implements PartitionProcessor<ScopedAlert> {
  private readonly correlators = new Map<number, IncidentCorrelator>();

  constructor(
    private readonly config: CorrelationConfig,
    private readonly topology: TopologyProvider,
    private readonly embedder: Embedder,
    private readonly publisher: EventPublisher,
    private readonly symptomPrototypes: SymptomPrototypes,
  ) {}

  restore(partition: number, state: Record<string, unknown> | undefined): void {
    const restored = state
      ? decodeCorrelatorState(state as unknown as CorrelatorSnapshotJson)
      : undefined;
    this.correlators.set(
      partition,
      new IncidentCorrelator(this.config, this.topology.current, this.symptomPrototypes, restored),
    );
  }

  async process(partition: number, records: Array<PartitionRecord<ScopedAlert>>): Promise<void> {
    const correlator = this.correlatorOf(partition);
    correlator.useTopology(this.topology.current);
    const alerts = records.map((r) => r.event.alert);
    const outcomes = await correlateBatch(correlator, alerts, (texts) =>
      this.embedder.embed(texts),
    );
    const events: IncidentEvent[] = outcomes.flatMap((o) => o.events);
    if (events.length > 0) await this.publisher.publishMany(Topics.incidents, events);
  }

  snapshot(partition: number): Record<string, unknown> {
    return { ...encodeCorrelatorState(this.correlatorOf(partition).snapshot()) };
  }

  release(partition: number): void {
    this.correlators.delete(partition);
  }

  private correlatorOf(partition: number): IncidentCorrelator {
    const correlator = this.correlators.get(partition);
    if (!correlator) throw new Error(`partition ${partition} was not restored before use`);
    return correlator;
  }
}

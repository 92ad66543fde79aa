import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Counter } from 'prom-client';
import { Topics, type IncidentEvent, type IncidentFeedback } from '@vigil/contracts';
import { FeedbackMemory, type IncidentCorrelator } from '@vigil/correlation';
import type { EventPublisher } from '@vigil/messaging';
import { metricsRegistry } from '@vigil/telemetry';
import { WholeTopicReader } from './whole-topic-reader';

const corrections = new Counter({
  name: 'vigil_correlator_people_corrections_total',
  help: "People's merges and splits read from vigil.incident-feedback.v1, by type",
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

/** Corrections kept to apply again to a restored partition; older ones are only learned. */
const maxHistory = 10_000;

/**
 * Applies one correction to the incidents a correlator holds. A merge or split of incidents it
 * does not hold (another partition, forgotten) does nothing; applied twice, nothing more happens.
 */
export function applyFeedback(
  correlator: IncidentCorrelator,
  feedback: IncidentFeedback,
): IncidentEvent[] {
  if (feedback.type === 'merge')
    return feedback.mergedIncidentIds.flatMap((id) =>
      correlator.mergeByPeople(feedback.incidentId, id),
    );
  return correlator.splitByPeople(feedback);
}

/** Where corrections go once read: the clusterer, which owns the incidents. */
export interface FeedbackTarget {
  /** Applies the correction to every partition held, and publishes what changed. */
  applyEverywhere(apply: (correlator: IncidentCorrelator) => IncidentEvent[]): Promise<void>;
}

/**
 * People's merges and splits for the correlator: every instance reads the whole
 * `vigil.incident-feedback.v1` (its own throwaway group, from the beginning) into one
 * FeedbackMemory that every partition's correlator asks, and applies each new correction to the
 * incidents it holds. A partition restored later (a restart, a rebalance, a retry) gets the recent
 * corrections applied again, so one made after its last snapshot is not lost.
 */
export class FeedbackConsumer extends WholeTopicReader<typeof Topics.incidentFeedback.schema> {
  readonly memory = new FeedbackMemory();
  private readonly history: IncidentFeedback[] = [];
  private readonly taken = new Set<string>();
  target?: FeedbackTarget;

  constructor(kafka: Kafka, publisher: EventPublisher, logger: LoggerService) {
    super(kafka, publisher, logger, {
      topic: Topics.incidentFeedback,
      groupPrefix: 'vigil-correlator-feedback',
      what: 'feedback',
    });
  }

  protected handle(feedback: IncidentFeedback): Promise<void> {
    return this.take(feedback);
  }

  /**
   * A partition's correlator was (re)made from its snapshot: it learns from people from now on,
   * and the recent corrections are applied again (those already in the snapshot do nothing). The
   * events of that were published when the correction was first applied.
   */
  restored(correlator: IncidentCorrelator): void {
    correlator.useFeedback(this.memory);
    for (const feedback of this.history) applyFeedback(correlator, feedback);
  }

  /** One correction: learned, kept for restores, and applied to the live incidents. */
  async take(feedback: IncidentFeedback): Promise<void> {
    // a retry of the same message (its publish failed) is applied again, but kept once
    if (!this.taken.has(feedback.feedbackId)) {
      this.taken.add(feedback.feedbackId);
      this.memory.learn(feedback);
      this.history.push(feedback);
      if (this.history.length > maxHistory) this.history.shift();
      corrections.inc({ type: feedback.type });
    }
    this.logger.log({
      msg: 'people corrected the grouping',
      feedbackId: feedback.feedbackId,
      type: feedback.type,
      incidentId: feedback.incidentId,
      by: feedback.by.user,
    });
    await this.target?.applyEverywhere((correlator) => applyFeedback(correlator, feedback));
  }
}

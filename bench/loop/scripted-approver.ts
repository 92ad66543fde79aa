import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import {
  decodeEvent,
  Topics,
  type RemediationDecision,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { EventPublisher } from '@vigil/messaging';
import { signDecision } from '@vigil/remediation-engine';
import type { DecisionKey } from '../../test/support/closed-loop';

/** One approval the approver gave: when the executor first asked, when the decision went out. */
export interface ApprovalRecord {
  planId: string;
  target: string;
  askedAt: number;
  approvedAt: number;
}

/**
 * A person on call, scripted: whenever the executor holds a plan step for approval (a `verdict`
 * of `needs-approval` on vigil.remediation.executions.v1), waits `delayMs` (the time a person
 * takes to read the plan), then approves the plan as the console does: a decision by an
 * `approver`, signed with the console's key over the content of the plan it saw, on
 * vigil.remediation.decisions.v1. The executor checks it like any other (signature, signer,
 * content hash, role). One approval per plan: a plan that asks again after it is the executor's
 * to refuse or run.
 */
export class ScriptedApprover {
  private readonly plans = new Map<string, RemediationPlan>();
  private readonly asked = new Map<string, { target: string; at: number }>();
  private readonly given: ApprovalRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private consumer?: Consumer;
  private readonly publisher: EventPublisher;

  constructor(
    private readonly kafka: Kafka,
    private readonly key: DecisionKey,
    private readonly delayMs: number,
    /** Only plans on these services (the loop's own, by their prefix). */
    private readonly prefix: string,
  ) {
    this.publisher = new EventPublisher(kafka);
  }

  async start(): Promise<void> {
    await this.publisher.connect();
    this.consumer = this.kafka.consumer({ groupId: `bench-approver-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [Topics.remediationPlans.name, Topics.remediationExecutions.name],
      fromBeginning: false,
    });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (topic === Topics.remediationPlans.name) {
          const plan = decodeEvent(Topics.remediationPlans, message.value);
          if (plan.ok) this.plans.set(plan.value.planId, plan.value);
          return;
        }
        const event = decodeEvent(Topics.remediationExecutions, message.value);
        if (event.ok) this.onExecution(event.value);
      },
    });
  }

  /** Approvals given so far, oldest first. */
  approvals(): readonly ApprovalRecord[] {
    return this.given;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.consumer?.disconnect();
    await this.publisher.disconnect();
  }

  private onExecution(event: RemediationExecution): void {
    if (event.type !== 'verdict' || event.detail['verdict'] !== 'needs-approval') return;
    const target = String(event.detail['target'] ?? '');
    if (!target.startsWith(this.prefix) || this.asked.has(event.planId)) return;
    const askedAt = Date.now();
    this.asked.set(event.planId, { target, at: askedAt });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.approve(event.planId, target, askedAt).catch((error: unknown) =>
        process.stderr.write(`approver: ${event.planId}: ${(error as Error).message}\n`),
      );
    }, this.delayMs);
    this.timers.add(timer);
  }

  private async approve(planId: string, target: string, askedAt: number): Promise<void> {
    const plan = this.plans.get(planId);
    // the plan went out before the approver listened: nothing a person could have seen
    if (!plan) throw new Error('plan not seen on the plans topic; not approved');
    const decision: RemediationDecision = {
      schemaVersion: 1,
      decisionId: `bench-${planId}-${randomUUID().slice(0, 6)}`,
      planId,
      decision: 'approve',
      by: { user: 'bench-approver', role: 'approver', displayName: 'scripted approver' },
      via: 'console',
      at: new Date().toISOString(),
      reason: 'bench:loop scripted approval',
    };
    await this.publisher.publish(
      Topics.remediationDecisions,
      signDecision(decision, plan, this.key),
    );
    this.given.push({ planId, target, askedAt, approvedAt: Date.now() });
  }
}

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, Kafka } from 'kafkajs';
import { decodeEvent, Topics, type RemediationExecution } from '@vigil/contracts';
import type { LoopConsole } from '../../test/support/closed-loop';
import { ConsoleClient } from '../../test/console/console-client';

/** One approval the approver gave: when the executor first asked, when the console took it. */
export interface ApprovalRecord {
  planId: string;
  target: string;
  askedAt: number;
  approvedAt: number;
}

/** How long the console may take to show a plan it was asked about (it reads the topics live). */
const consoleCatchUpMs = 30_000;

/**
 * A person on call, scripted: whenever the executor holds a plan step for approval (a `verdict`
 * of `needs-approval` on vigil.remediation.executions.v1), waits `delayMs` (the time a person
 * takes to read the plan), then approves the plan in the console: signed in as an approver, a
 * POST to /api/v1/plans/:planId/decisions, as the incident page's Approve button does. The console
 * checks the role and the plan, signs the decision over the plan as it showed it, and publishes
 * it; the executor checks it like any other. One approval per plan: a plan that asks again after
 * it is the executor's to refuse or run.
 */
export class ScriptedApprover {
  private readonly asked = new Set<string>();
  private readonly given: ApprovalRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private consumer?: Consumer;
  private session?: ConsoleClient;

  constructor(
    private readonly kafka: Kafka,
    private readonly console: LoopConsole,
    private readonly delayMs: number,
    /** Only plans on these services (the loop's own, by their prefix). */
    private readonly prefix: string,
  ) {}

  async start(): Promise<void> {
    this.session = await this.signIn();
    this.consumer = this.kafka.consumer({ groupId: `bench-approver-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [Topics.remediationExecutions.name] });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
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
  }

  /** The console starts with the rest of the loop: signing in waits for it a while. */
  private async signIn(): Promise<ConsoleClient> {
    const { url, approver } = this.console;
    const until = Date.now() + 120_000;
    for (;;) {
      try {
        return await ConsoleClient.signIn(url, approver.username, approver.password);
      } catch (error) {
        if (Date.now() > until) throw error;
        await sleep(2_000);
      }
    }
  }

  private onExecution(event: RemediationExecution): void {
    if (event.type !== 'verdict' || event.detail['verdict'] !== 'needs-approval') return;
    const target = String(event.detail['target'] ?? '');
    if (!target.startsWith(this.prefix) || this.asked.has(event.planId)) return;
    const askedAt = Date.now();
    this.asked.add(event.planId);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.approve(event.planId, target, askedAt).catch((error: unknown) =>
        process.stderr.write(`approver: ${event.planId}: ${(error as Error).message}\n`),
      );
    }, this.delayMs);
    this.timers.add(timer);
  }

  /**
   * Approves in the console. A 404 or 409 may only mean the console has not yet read the plan or
   * the executor's question: asked again each second for a while, as a person would reload.
   */
  private async approve(planId: string, target: string, askedAt: number): Promise<void> {
    const session = this.session;
    if (!session) throw new Error('not signed in to the console');
    const until = Date.now() + consoleCatchUpMs;
    for (;;) {
      const response = await session.post(`/api/v1/plans/${encodeURIComponent(planId)}/decisions`, {
        decision: 'approve',
        reason: 'bench:loop scripted approval',
      });
      if (response.status === 202) break;
      const why = `${response.status} ${await response.text()}`;
      if (![404, 409].includes(response.status) || Date.now() > until)
        throw new Error(`the console refused the approval: ${why}`);
      await sleep(1_000);
    }
    this.given.push({ planId, target, askedAt, approvedAt: Date.now() });
  }
}

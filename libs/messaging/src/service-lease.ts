import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LoggerService } from '@nestjs/common';
import {
  AssignerProtocol,
  type Consumer,
  type ConsumerGroupJoinEvent,
  type Kafka,
  type PartitionAssigner,
} from 'kafkajs';
import { Topics } from '@vigil/contracts';
import { restartAfterFatalCrash } from './consumer-restart';
import type { EventPublisher } from './event-publisher';
import { chooseLeaseHolder, type LeaseClaim } from './lease-holder';

export interface ServiceLeaseOptions {
  /** The lease's name, e.g. `executor/production`: one active instance per name. */
  name: string;
  /** The consumer group the instances competing for this lease join. */
  groupId: string;
  publisher: EventPublisher;
  logger?: LoggerService;
  /** How long an active instance may go silent before a standby takes over. */
  sessionTimeoutMs?: number;
  /** How long after kafkajs gave up on its consumer the instance joins the group again. */
  rejoinDelayMs?: number;
  /** Called in order, never twice in a row with the same value. */
  onChange: (active: boolean) => Promise<void>;
}

const ASSIGNER = 'VigilLease';

/** A name for this instance that people can read in the lease record and the logs. */
export function instanceName(): string {
  return `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
}

/**
 * One active instance of a service, the others standing by: every instance joins one consumer
 * group on the single-partition `vigil.service-leases.v1`, and the one assigned that partition is
 * active. Our own assigner keeps the partition where it is (a standby joining never takes the lease
 * away) and moves it only when its holder leaves the group or stops answering within the session
 * timeout. Kafka is the arbiter, so no second store is needed; the new holder writes a record so
 * every failover is on the topic.
 */
export class ServiceLease {
  readonly holder = instanceName();
  private readonly startedAt = Date.now();
  private heldSince?: number;
  private consumer?: Consumer;
  private stopRestarts: () => void = () => undefined;
  private transitions: Promise<void> = Promise.resolve();
  private firstJoin?: (active: boolean) => void;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ServiceLeaseOptions,
  ) {}

  get active(): boolean {
    return this.heldSince !== undefined;
  }

  /** Joins the group; resolves after the first assignment, once `onChange(true)` has run if won. */
  async start(): Promise<boolean> {
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout,
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 5)),
      partitionAssigners: [this.assigner()],
    });
    this.consumer = consumer;
    const joined = new Promise<boolean>((resolve) => (this.firstJoin = resolve));
    consumer.on(consumer.events.GROUP_JOIN, (event: ConsumerGroupJoinEvent) =>
      this.assigned((event.payload.memberAssignment[Topics.serviceLeases.name] ?? []).length > 0),
    );
    // The records are for people; membership is what counts, and run() keeps the heartbeats going.
    const run = () => consumer.run({ eachMessage: async () => undefined });
    // a crash leaves the group, and the lease with it; a standby may take it meanwhile
    this.stopRestarts = restartAfterFatalCrash(consumer, run, {
      name: `lease ${this.options.name}`,
      logger: this.options.logger,
      delayMs: this.options.rejoinDelayMs,
      onCrash: () => this.assigned(false),
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [Topics.serviceLeases.name], fromBeginning: false });
    await run();
    const active = await joined;
    await this.transitions;
    return active;
  }

  /** Leaves the group at once, so a standby takes over without waiting for the session timeout. */
  async stop(): Promise<void> {
    this.stopRestarts();
    await this.consumer?.disconnect();
    this.assigned(false);
    await this.transitions;
  }

  private assigned(active: boolean): void {
    this.transitions = this.transitions.then(() => this.change(active));
    const first = this.firstJoin;
    this.firstJoin = undefined;
    void this.transitions.then(() => first?.(active));
  }

  private async change(active: boolean): Promise<void> {
    if (active === this.active) return;
    this.heldSince = active ? Date.now() : undefined;
    const lease = this.options.name;
    this.options.logger?.log(
      {
        msg: active ? 'lease acquired: active' : 'lease lost: standing by',
        lease,
        holder: this.holder,
      },
      'ServiceLease',
    );
    if (active) await this.announce();
    await this.options.onChange(active).catch((error: unknown) => {
      this.options.logger?.error(error, 'ServiceLease');
    });
  }

  private async announce(): Promise<void> {
    const record = {
      schemaVersion: 1 as const,
      lease: this.options.name,
      holder: this.holder,
      acquiredAt: new Date(this.heldSince ?? Date.now()).toISOString(),
    };
    await this.options.publisher.publish(Topics.serviceLeases, record).catch((error: unknown) => {
      // The lease holds without its record: the record only tells people who holds it.
      this.options.logger?.warn?.(
        { msg: 'lease record not written', error: String(error) },
        'ServiceLease',
      );
    });
  }

  private claim(): LeaseClaim {
    return { holder: this.holder, startedAt: this.startedAt, heldSince: this.heldSince };
  }

  /** kafkajs' assigner protocol: every member states its claim; the group leader decides. */
  private assigner(): PartitionAssigner {
    return () => ({
      name: ASSIGNER,
      version: 1,
      protocol: ({ topics }) => ({
        name: ASSIGNER,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics,
          userData: Buffer.from(JSON.stringify(this.claim())),
        }),
      }),
      assign: async ({ members, topics }) => {
        const claims = members.map((m) => ({
          memberId: m.memberId,
          claim: parseClaim(AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData),
        }));
        const winner = chooseLeaseHolder(claims);
        return members.map((m) => ({
          memberId: m.memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment: Object.fromEntries(
              topics.map((topic) => [topic, m.memberId === winner ? [0] : []]),
            ),
            userData: Buffer.alloc(0),
          }),
        }));
      },
    });
  }
}

function parseClaim(userData: Buffer | undefined): LeaseClaim | undefined {
  try {
    return userData && userData.length > 0
      ? (JSON.parse(userData.toString('utf8')) as LeaseClaim)
      : undefined;
  } catch {
    return undefined;
  }
}

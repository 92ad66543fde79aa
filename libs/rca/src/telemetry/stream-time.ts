export interface StreamTimeOptions {
  /**
   * A partition from which nothing has come for this long by the reader's clock no longer holds
   * the time back; when every partition is that quiet, the time moves on by the silence, so the
   * last bins before a stream falls silent are handed out too. Default 60 s.
   */
  quietMs?: number;
  /**
   * How far a partition that has sent records may hold the time behind the fastest: a producer
   * whose clock lags by more than this does not hold everyone's evidence back with it. Default
   * 10 min, more than a partition's batch of a backlog spans at the rates Vigil takes.
   */
  maxSpreadMs?: number;
}

interface Partition {
  /** The latest record time kept from it. */
  latest: number;
  /** Whether a record came since the reader last looked at its clock. */
  arrived: boolean;
  /** The reader's clock when it last saw that a record had come (or began waiting for one). */
  heardAt?: number;
}

/**
 * The time of a stream read a partition at a time, by its records' own times (a watermark): the
 * latest record time of its slowest partition. Kafka hands a consumer its partitions' records in
 * batches, one partition after another; a backlog (a restart, a consumer that fell behind) puts
 * one partition minutes ahead of the others, and the time of the whole stream taken from it would
 * close bins that the others' records still belong in. Partitions the reader was told to expect
 * hold the time back before their first record; a quiet one stops holding it back. With a single
 * partition this is the latest record time, moved on by silences.
 */
export class StreamTime {
  private readonly partitions = new Map<number, Partition>();
  private readonly quietMs: number;
  private readonly maxSpreadMs: number;
  /** The reader's clock at its last look. */
  private clock?: number;
  /** The time never moves back. */
  private floor = -Infinity;

  constructor(options: StreamTimeOptions = {}) {
    this.quietMs = options.quietMs ?? 60_000;
    this.maxSpreadMs = options.maxSpreadMs ?? 10 * 60_000;
  }

  /**
   * The partitions the reader holds now (at each join of its group): a new one holds the time back
   * until it sends a record or stays quiet; one no longer held is forgotten.
   */
  expect(partitions: readonly number[]): void {
    const held = new Set(partitions);
    for (const partition of this.partitions.keys())
      if (!held.has(partition)) this.partitions.delete(partition);
    for (const partition of held)
      if (!this.partitions.has(partition))
        this.partitions.set(partition, { latest: -Infinity, arrived: false, heardAt: this.clock });
  }

  /** A record came from `partition`: `time` when it was kept (a dropped one only shows life). */
  arrival(partition: number, time?: number): void {
    let state = this.partitions.get(partition);
    if (!state) this.partitions.set(partition, (state = { latest: -Infinity, arrived: false }));
    state.arrived = true;
    if (time !== undefined) state.latest = Math.max(state.latest, time);
  }

  /** The reader's time now (epoch ms): how long each partition has been quiet is measured by it. */
  look(now: number): void {
    this.clock = now;
    for (const state of this.partitions.values()) {
      if (state.arrived || state.heardAt === undefined) state.heardAt = now;
      state.arrived = false;
    }
  }

  /** The stream's time now: the slowest partition still sending, or past a silence of all. */
  now(): number {
    // called after every record: plain loops, no arrays
    let slowest = Infinity;
    let fastest = -Infinity;
    let pastSilence = -Infinity;
    for (const state of this.partitions.values()) {
      if (this.isQuiet(state)) {
        pastSilence = Math.max(pastSilence, state.latest + this.silence(state));
      } else {
        slowest = Math.min(slowest, state.latest);
        fastest = Math.max(fastest, state.latest);
      }
    }
    // a partition still waiting for its first record holds the time back (until it is quiet):
    // a backlog hands every partition's first batch over within moments of the others
    const time =
      slowest === -Infinity
        ? -Infinity
        : slowest < Infinity
          ? Math.max(slowest, fastest - this.maxSpreadMs)
          : pastSilence;
    this.floor = Math.max(this.floor, time);
    return this.floor;
  }

  private isQuiet(state: Partition): boolean {
    return !state.arrived && this.silence(state) > this.quietMs;
  }

  /** How long the partition has been quiet by the reader's clock. */
  private silence(state: Partition): number {
    if (this.clock === undefined || state.heardAt === undefined) return 0;
    return this.clock - state.heardAt;
  }
}

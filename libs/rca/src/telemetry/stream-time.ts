/** How far behind the fastest a partition must catch up, by default (see maxSpreadMs). */
export const defaultMaxSpreadMs = 2 * 60_000;

/** A partition catches up when its records' time moves on this much faster than the clock. */
const catchUpRate = 1.5;

export interface StreamTimeOptions {
  /**
   * A partition from which nothing has come for this long by the reader's clock no longer holds
   * the time back; when every partition is that quiet, the time moves on by the silence, so the
   * last bins before a stream falls silent (every producer down, a pipeline stalled) are handed
   * out too. Default 60 s.
   */
  quietMs?: number;
  /**
   * A partition that has sent records and lies further than this behind the fastest holds the time
   * back only while it catches up: when, over a quiet period (`quietMs`) of the reader's clock,
   * its records' time moved on no faster than the clock, it is a producer whose clock lags, and it
   * no longer holds everyone's evidence back (its own records come late) until its records run
   * half a quiet period ahead of the clock (a backlog flows from it). A partition read from a
   * backlog moves on many times faster than the clock, however long it takes. Default 2 min.
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
  /**
   * Since when (reader's clock, and its latest then) it has been further behind than the spread,
   * or, once it lags, since it was judged to.
   */
  behind?: { clock: number; latest: number };
  /** Behind and not catching up: it no longer holds the time back. */
  lagging: boolean;
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
    this.maxSpreadMs = options.maxSpreadMs ?? defaultMaxSpreadMs;
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
        this.partitions.set(partition, {
          latest: -Infinity,
          arrived: false,
          heardAt: this.clock,
          lagging: false,
        });
  }

  /**
   * A record came from `partition`, at `time`: kept or late, either way its partition is that far.
   * A record from a clock far ahead must not come here, or a partition that sends only those would
   * hold the time for good.
   */
  arrival(partition: number, time: number): void {
    let state = this.partitions.get(partition);
    if (!state)
      this.partitions.set(
        partition,
        (state = { latest: -Infinity, arrived: false, lagging: false }),
      );
    state.arrived = true;
    state.latest = Math.max(state.latest, time);
  }

  /**
   * The reader's time now (epoch ms): how long each partition has been quiet, and whether one far
   * behind is catching up, are measured by it.
   */
  look(now: number): void {
    this.clock = now;
    let fastest = -Infinity;
    for (const state of this.partitions.values()) fastest = Math.max(fastest, state.latest);
    for (const state of this.partitions.values()) {
      if (state.arrived || state.heardAt === undefined) state.heardAt = now;
      state.arrived = false;
      this.judgeLag(state, fastest, now);
    }
  }

  /** Whether a partition far behind the fastest is catching up, or lags for good. */
  private judgeLag(state: Partition, fastest: number, now: number): void {
    if (state.latest === -Infinity || fastest - state.latest <= this.maxSpreadMs) {
      state.behind = undefined;
      state.lagging = false;
      return;
    }
    if (!state.behind) state.behind = { clock: now, latest: state.latest };
    const waited = now - state.behind.clock;
    if (state.lagging && state.latest - state.behind.latest - waited > this.quietMs / 2) {
      // a backlog begins to flow from a partition judged to lag: it holds the time back again
      // at once, not a quiet period later (a lagging producer's records keep pace with the
      // clock, give or take a batch)
      state.lagging = false;
      state.behind = { clock: now, latest: state.latest };
      return;
    }
    if (waited < this.quietMs) return;
    // over the last quiet period: moving on faster than the clock is a backlog being read
    state.lagging = state.latest - state.behind.latest <= waited * catchUpRate;
    state.behind = { clock: now, latest: state.latest };
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
        if (!state.lagging) slowest = Math.min(slowest, state.latest);
        fastest = Math.max(fastest, state.latest);
      }
    }
    // a partition still waiting for its first record holds the time back (until it is quiet):
    // a backlog hands every partition's first batch over within moments of the others
    const time = slowest < Infinity ? slowest : fastest > -Infinity ? fastest : pastSilence;
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

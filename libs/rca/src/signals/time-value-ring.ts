/** The JSON form of a ring: oldest first. */
export interface TimeValueRingJson {
  times: number[];
  values: number[];
}

/**
 * A bounded FIFO of (time, value) points in two typed arrays: a streaming detector keeps several
 * per series, so they must cost a fixed amount of memory and nothing per point.
 */
export class TimeValueRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** Time of the i-th oldest point. */
  time(i: number): number {
    return this.times[(this.start + i) % this.capacity];
  }

  /** Value of the i-th oldest point. */
  value(i: number): number {
    return this.values[(this.start + i) % this.capacity];
  }

  /** Appends a point; when full, the oldest is overwritten (read it first if it matters). */
  push(time: number, value: number): void {
    if (this.capacity === 0) return;
    const slot = (this.start + this.size) % this.capacity;
    this.times[slot] = time;
    this.values[slot] = value;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
  }

  /** Makes this ring hold what `source`, a ring of the same capacity, holds. */
  copyFrom(source: TimeValueRing): void {
    if (source.capacity !== this.capacity)
      throw new RangeError(
        `a ring of ${source.capacity} points cannot be copied into one of ${this.capacity}`,
      );
    this.times.set(source.times);
    this.values.set(source.values);
    this.start = source.start;
    this.size = source.size;
  }

  /** Copies the values into `target` (oldest first) and returns how many there are. */
  copyValues(target: Float64Array): number {
    for (let i = 0; i < this.size; i++) target[i] = this.value(i);
    return this.size;
  }

  toJSON(): TimeValueRingJson {
    const times: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < this.size; i++) {
      times.push(this.time(i));
      values.push(this.value(i));
    }
    return { times, values };
  }

  /** A ring of `capacity` holding the newest points of `json` that fit. */
  static fromJSON(capacity: number, json: TimeValueRingJson): TimeValueRing {
    const ring = new TimeValueRing(capacity);
    const count = Math.min(json.times.length, json.values.length);
    for (let i = Math.max(0, count - capacity); i < count; i++) {
      ring.push(json.times[i], json.values[i]);
    }
    return ring;
  }
}

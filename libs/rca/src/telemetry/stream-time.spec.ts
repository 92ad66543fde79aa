import { StreamTime } from './stream-time';

describe('StreamTime', () => {
  it('is the latest record time of a single partition', () => {
    const time = new StreamTime();
    time.arrival(0, 5_000);
    time.arrival(0, 3_000);
    expect(time.now()).toBe(5_000);
  });

  it("is the slowest partition's time while a backlog puts one partition ahead", () => {
    const time = new StreamTime();
    time.expect([0, 1]);
    time.look(0);
    // partition 0's batch of a backlog: five minutes of records before partition 1's first
    for (let t = 0; t <= 300_000; t += 1_000) time.arrival(0, t);
    expect(time.now()).toBe(-Infinity);
    time.arrival(1, 2_000);
    expect(time.now()).toBe(2_000);
    time.arrival(1, 250_000);
    expect(time.now()).toBe(250_000);
  });

  it("lets a partition that stays quiet for a minute of the reader's clock stop holding it back", () => {
    const time = new StreamTime({ quietMs: 60_000 });
    time.expect([0, 1]);
    time.look(1_000_000);
    time.arrival(0, 40_000);
    time.look(1_030_000);
    expect(time.now()).toBe(-Infinity);
    time.arrival(0, 70_000);
    time.look(1_061_000);
    // partition 1 never sent anything: quiet since the reader began to wait for it
    expect(time.now()).toBe(70_000);
  });

  it('moves on by the silence once every partition is quiet', () => {
    const time = new StreamTime({ quietMs: 60_000 });
    time.arrival(0, 10_000);
    time.arrival(1, 12_000);
    time.look(100_000);
    time.look(161_000);
    expect(time.now()).toBe(12_000 + 61_000);
  });

  it("stops being held by a partition whose producer's clock lags, once it is plainly not catching up", () => {
    const time = new StreamTime({ maxSpreadMs: 600_000, quietMs: 60_000 });
    const hour = 3_600_000;
    // partition 1's only producer runs an hour behind: its records keep pace with the clock
    for (let s = 0; s <= 120; s += 1) {
      time.arrival(0, hour + s * 1_000);
      time.arrival(1, s * 1_000);
      time.look(s * 1_000);
      if (s === 30) expect(time.now()).toBe(30_000);
    }
    // a minute of the clock behind the spread and no faster than the clock: it holds no more
    expect(time.now()).toBe(hour + 120_000);
  });

  it('keeps being held by a partition far behind that catches up, however long it takes', () => {
    const time = new StreamTime({ maxSpreadMs: 600_000, quietMs: 60_000 });
    const hour = 3_600_000;
    // a backlog: partition 1 reads an hour of records, 20 s of them per second of the clock
    for (let s = 0; s <= 150; s += 1) {
      time.arrival(0, hour + s * 1_000);
      time.arrival(1, s * 20_000);
      time.look(s * 1_000);
    }
    expect(time.now()).toBe(150 * 20_000);
  });

  it('is held again at once by a lagging partition from which a backlog begins to flow', () => {
    const time = new StreamTime({ maxSpreadMs: 600_000, quietMs: 60_000 });
    const hour = 3_600_000;
    let s = 0;
    for (; s <= 120; s += 1) {
      time.arrival(0, hour + s * 1_000);
      time.arrival(1, s * 1_000);
      time.look(s * 1_000);
    }
    expect(time.now()).toBe(hour + 120_000);
    // partition 1 fell behind for good, then a backlog of it is read, 20 s of records a second
    const held = time.now();
    for (let t = 120_000; s <= 125; s += 1) {
      time.arrival(0, hour + s * 1_000);
      for (const end = t + 20_000; t < end; t += 1_000) time.arrival(1, t);
      time.look(s * 1_000);
    }
    expect(time.now()).toBe(held);
  });

  it('never moves back, and forgets a partition the reader no longer holds', () => {
    const time = new StreamTime();
    time.expect([0, 1]);
    time.arrival(0, 50_000);
    time.arrival(1, 20_000);
    expect(time.now()).toBe(20_000);
    time.expect([0]);
    expect(time.now()).toBe(50_000);
    time.expect([0, 1]);
    time.arrival(1, 30_000);
    expect(time.now()).toBe(50_000);
  });
});

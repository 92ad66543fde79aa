import {
  QueueCancelledError,
  QueueFullError,
  QueueTimeoutError,
  SerialQueue,
} from './serial-queue';

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('SerialQueue', () => {
  it('runs one task at a time, in order', async () => {
    const queue = new SerialQueue(10);
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await later(5);
      log.push(`end ${name}`);
      return name;
    };
    await expect(
      Promise.all([queue.run(task('a'), 1000), queue.run(task('b'), 1000)]),
    ).resolves.toEqual(['a', 'b']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('refuses work beyond its limit', async () => {
    const queue = new SerialQueue(1);
    const first = queue.run(() => later(5), 1000);
    await expect(queue.run(() => later(1), 1000)).rejects.toBeInstanceOf(QueueFullError);
    await first;
    expect(queue.size).toBe(0);
  });

  it('times out a task, aborts it, and starts the next only after it really stopped', async () => {
    const queue = new SerialQueue(10);
    const log: string[] = [];
    const slow = queue.run(async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      await later(10); // a model run needs a moment to notice the abort
      log.push('slow stopped');
    }, 20);
    const next = queue.run(async () => {
      log.push('next started');
    }, 1000);
    await expect(slow).rejects.toBeInstanceOf(QueueTimeoutError);
    await next;
    expect(log).toEqual(['slow stopped', 'next started']);
  });

  it('never starts a task whose deadline passed while it waited', async () => {
    const queue = new SerialQueue(10);
    const started: string[] = [];
    const first = queue.run(() => later(30), 1000);
    const waiting = queue.run(async () => {
      started.push('late');
    }, 5);
    await expect(waiting).rejects.toBeInstanceOf(QueueTimeoutError);
    await first;
    await later(1);
    expect(started).toEqual([]);
  });

  it('stops the task of a caller that gave up, so the next caller does not wait for it', async () => {
    const queue = new SerialQueue(10);
    const gone = new AbortController();
    let aborted = false;
    const abandoned = queue.run(
      async (signal) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        aborted = true;
      },
      60_000,
      gone.signal,
    );
    const next = queue.run(async () => 'next', 60_000);
    await later(5); // the abandoned task is running
    gone.abort();
    await expect(abandoned).rejects.toBeInstanceOf(QueueCancelledError);
    await expect(next).resolves.toBe('next');
    expect(aborted).toBe(true);
  });
});

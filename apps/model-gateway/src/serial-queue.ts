export class QueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`${limit} requests are already waiting for the model; retry later`);
    this.name = 'QueueFullError';
  }
}

export class QueueTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the request did not finish within ${timeoutMs} ms`);
    this.name = 'QueueTimeoutError';
  }
}

export class QueueCancelledError extends Error {
  constructor() {
    super('the caller gave up waiting');
    this.name = 'QueueCancelledError';
  }
}

/**
 * Runs model work one task at a time: a model run already uses every core, so two at once only
 * make both slower. Each task has a deadline covering its wait and its run; on expiry the
 * caller gets a {@link QueueTimeoutError} at once and the task's signal aborts, but the next
 * task starts only once the aborted one has really returned, so runs never overlap. A caller
 * that gives up (`cancel`) aborts its task the same way: nobody waits for that answer any more,
 * and the next caller should not wait for it either.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly maxWaiting: number) {}

  /** Tasks queued or running. */
  get size(): number {
    return this.waiting;
  }

  run<T>(
    task: (signal: AbortSignal) => Promise<T>,
    timeoutMs: number,
    cancel?: AbortSignal,
  ): Promise<T> {
    if (this.waiting >= this.maxWaiting) return Promise.reject(new QueueFullError(this.maxWaiting));
    this.waiting++;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      const stop = (error: Error) => {
        controller.abort(error);
        reject(error);
      };
      timer = setTimeout(() => stop(new QueueTimeoutError(timeoutMs)), timeoutMs);
      const cancelled = () => stop(new QueueCancelledError());
      if (cancel?.aborted) cancelled();
      else cancel?.addEventListener('abort', cancelled, { once: true });
    });
    const done = this.tail
      .then(() => {
        controller.signal.throwIfAborted();
        return task(controller.signal);
      })
      .finally(() => {
        this.waiting--;
        clearTimeout(timer);
      });
    this.tail = done.then(
      () => undefined,
      () => undefined,
    );
    return Promise.race([done, deadline]);
  }
}

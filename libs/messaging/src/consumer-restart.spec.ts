import type { Consumer } from 'kafkajs';
import { restartAfterFatalCrash } from './consumer-restart';

type CrashListener = (event: { payload: { error: Error; restart: boolean } }) => void;

/** A consumer whose connects can be made to fail, and whose crashes the test raises. */
function scripted(failingConnects = 0) {
  let crashListener: CrashListener | undefined;
  const counts = { connects: 0, runs: 0 };
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (_: string, listener: CrashListener) => (crashListener = listener),
    connect: () => {
      counts.connects++;
      return counts.connects <= failingConnects
        ? Promise.reject(new Error('broker still away'))
        : Promise.resolve();
    },
  } as unknown as Consumer;
  const crash = (restart: boolean) =>
    crashListener?.({ payload: { error: new Error('coordinator not found'), restart } });
  return { consumer, counts, crash };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('restartAfterFatalCrash', () => {
  it('starts the consumer again after an error kafkajs gives up on, through failed attempts', async () => {
    const { consumer, counts, crash } = scripted(2);
    let crashes = 0;
    restartAfterFatalCrash(consumer, async () => void counts.runs++, {
      name: 'test',
      delayMs: 5,
      onCrash: () => crashes++,
    });
    crash(false);
    await wait(60);
    expect(crashes).toBe(1);
    expect(counts).toEqual({ connects: 3, runs: 1 });
  });

  it('leaves the restart to kafkajs when kafkajs restarts the consumer itself', async () => {
    const { consumer, counts, crash } = scripted();
    restartAfterFatalCrash(consumer, async () => void counts.runs++, {
      name: 'test',
      delayMs: 5,
    });
    crash(true);
    await wait(30);
    expect(counts).toEqual({ connects: 0, runs: 0 });
  });

  it('does nothing once the owner stopped the consumer, before the crash or after it', async () => {
    const stopped = scripted();
    const stop = restartAfterFatalCrash(stopped.consumer, async () => void stopped.counts.runs++, {
      name: 'test',
      delayMs: 5,
    });
    stop();
    stopped.crash(false);
    const cancelled = scripted();
    const cancel = restartAfterFatalCrash(
      cancelled.consumer,
      async () => void cancelled.counts.runs++,
      {
        name: 'test',
        delayMs: 5,
      },
    );
    cancelled.crash(false);
    cancel();
    await wait(30);
    expect(stopped.counts.runs + cancelled.counts.runs).toBe(0);
  });
});

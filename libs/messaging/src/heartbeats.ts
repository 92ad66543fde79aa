/** The session is kept alive this often while a handler runs or waits to retry. */
export const heartbeatEveryMs = 2_000;

/**
 * Runs `work` with heartbeats on the side: a handler that takes longer than the session timeout
 * (a slow query, a model) must not get its member dropped from the group. A failed heartbeat is
 * left to kafkajs, which heartbeats (and rejoins if need be) after the handler returns.
 */
export async function whileBeating<T>(
  heartbeat: () => Promise<void>,
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => heartbeat().catch(() => undefined), heartbeatEveryMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

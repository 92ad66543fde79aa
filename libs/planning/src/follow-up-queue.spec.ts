import { FollowUpQueue } from './follow-up-queue';

describe('FollowUpQueue', () => {
  it('hands drafts out oldest first', () => {
    const queue = new FollowUpQueue<string>(3);
    queue.push('plan-a');
    queue.push('plan-b');
    expect([queue.take(), queue.take(), queue.take()]).toEqual(['plan-a', 'plan-b', undefined]);
  });

  it('never holds more than its bound: the oldest draft gives way and is returned', () => {
    const queue = new FollowUpQueue<string>(2);
    expect(queue.push('plan-a')).toBeUndefined();
    expect(queue.push('plan-b')).toBeUndefined();
    expect(queue.push('plan-c')).toBe('plan-a');
    expect(queue.size).toBe(2);
    expect([queue.take(), queue.take()]).toEqual(['plan-b', 'plan-c']);
  });

  it('refuses a bound under one', () => {
    expect(() => new FollowUpQueue(0)).toThrow(/at least 1/);
  });
});

import { StreamSlots } from './stream-slots';

describe('stream slots', () => {
  it('refuses an owner past the cap until one of its streams closes', () => {
    const slots = new StreamSlots(2);
    expect(slots.acquire('s1')).toBe(true);
    expect(slots.acquire('s1')).toBe(true);
    expect(slots.acquire('s1')).toBe(false);
    expect(slots.acquire('s2')).toBe(true);
    slots.release('s1');
    expect(slots.acquire('s1')).toBe(true);
  });

  it('forgets an owner whose streams all closed', () => {
    const slots = new StreamSlots(5);
    slots.acquire('s1');
    slots.release('s1');
    slots.release('s1');
    expect(slots.held('s1')).toBe(0);
    expect(slots.acquire('s1')).toBe(true);
  });
});

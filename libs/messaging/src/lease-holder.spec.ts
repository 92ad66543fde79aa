import { chooseLeaseHolder } from './lease-holder';

describe('who holds a service lease', () => {
  it('stays with its holder when a standby joins, even an older one', () => {
    expect(
      chooseLeaseHolder([
        { memberId: 'a', claim: { holder: 'standby', startedAt: 1 } },
        { memberId: 'b', claim: { holder: 'active', startedAt: 5, heldSince: 6 } },
      ]),
    ).toBe('b');
  });

  it('goes to the longest-running member when free', () => {
    expect(
      chooseLeaseHolder([
        { memberId: 'a', claim: { holder: 'new', startedAt: 9 } },
        { memberId: 'b', claim: { holder: 'old', startedAt: 3 } },
      ]),
    ).toBe('b');
  });

  it('goes to the later acquisition when a stalled holder comes back still claiming it', () => {
    expect(
      chooseLeaseHolder([
        { memberId: 'stalled', claim: { holder: 'x', startedAt: 1, heldSince: 2 } },
        { memberId: 'took-over', claim: { holder: 'y', startedAt: 1, heldSince: 40 } },
      ]),
    ).toBe('took-over');
  });

  it('decides alike on every leader: ties by member id, unreadable claims last', () => {
    expect(
      chooseLeaseHolder([
        { memberId: 'z' },
        { memberId: 'm', claim: { holder: 'p', startedAt: 4 } },
        { memberId: 'c', claim: { holder: 'q', startedAt: 4 } },
      ]),
    ).toBe('c');
    expect(chooseLeaseHolder([])).toBeUndefined();
  });
});

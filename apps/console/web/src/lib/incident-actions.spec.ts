import { acknowledgeButton, doneText, resolveButton } from './incident-actions';

describe('acknowledgeButton', () => {
  it('offers to acknowledge an open incident', () => {
    expect(acknowledgeButton('open', false)).toEqual({
      label: 'Acknowledge',
      disabled: false,
      title: undefined,
    });
  });

  it('is disabled while another action runs', () => {
    expect(acknowledgeButton('open', true).disabled).toBe(true);
  });

  it('says why once the incident is no longer open', () => {
    expect(acknowledgeButton('acknowledged', false)).toEqual({
      label: 'Acknowledged',
      disabled: true,
      title: 'already acknowledged',
    });
    expect(acknowledgeButton('resolved', false).title).toBe('already resolved');
  });
});

describe('resolveButton', () => {
  it('offers to resolve an open or acknowledged incident', () => {
    for (const status of ['open', 'acknowledged'] as const)
      expect(resolveButton(status, false)).toEqual({
        label: 'Resolve',
        disabled: false,
        title: undefined,
      });
  });

  it('is disabled for a resolved incident and while another action runs', () => {
    expect(resolveButton('resolved', false)).toEqual({
      label: 'Resolved',
      disabled: true,
      title: 'already resolved',
    });
    expect(resolveButton('open', true).disabled).toBe(true);
  });
});

describe('doneText', () => {
  it('names who the server recorded', () => {
    expect(doneText('acknowledge', 'ann', 'vic')).toBe('Acknowledged by ann');
    expect(doneText('resolve', 'ann', 'vic')).toBe('Resolved by ann');
    expect(doneText('approve', 'ann', 'vic')).toBe('approved by ann');
    expect(doneText('reject', 'ann', 'vic')).toBe('rejected by ann');
  });

  it('falls back to the signed-in user when the answer names nobody', () => {
    expect(doneText('approve', undefined, 'vic')).toBe('approved by vic');
  });
});

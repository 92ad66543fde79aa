import { BadRequestException } from '@nestjs/common';
import { AlertPolicyState } from '@vigil/alert-policy';
import type { AlertPolicyEvent } from '@vigil/contracts';
import type { SignedInRequest } from './access.guard';
import type { AlertPolicyFeed } from './alert-policy-feed.service';
import { MaintenanceController, SilencesController } from './silences.controller';

function feed() {
  const state = new AlertPolicyState();
  const publish = jest.fn(async (event: AlertPolicyEvent) => {
    state.apply(event);
  });
  return { state, publish };
}

const request = {
  session: { user: 'ann', displayName: 'Ann', role: 'responder' },
} as unknown as SignedInRequest;

async function refusal(create: () => Promise<unknown>): Promise<string> {
  const error = await create().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  return (error as BadRequestException).message;
}

describe('POST /api/v1/silences', () => {
  const policy = feed();
  const controller = new SilencesController(policy as unknown as AlertPolicyFeed);
  const silence = (body: Record<string, unknown>) => () =>
    controller.create({ matchers: '{service="db"}', ...body }, request);

  beforeEach(() => policy.publish.mockClear());

  it('creates one for the duration asked', async () => {
    const { silence: made } = await silence({ duration: '2h', comment: 'upgrade' })();
    expect(Date.parse(made.endsAt) - Date.parse(made.startsAt)).toBe(7_200_000);
    expect(policy.publish).toHaveBeenCalledTimes(1);
  });

  it('answers a duration or an end too far ahead with a 400 naming the field', async () => {
    expect(await refusal(silence({ duration: '99999999999w' }))).toBe(
      'duration: too long ("99999999999w"): at most 1825d (5 years)',
    );
    expect(await refusal(silence({ endsAt: '9999-12-31T23:59:59Z' }))).toMatch(
      /^endsAt: too far ahead: the silence would end at 9999-12-31T23:59:59.000Z/,
    );
    expect(await refusal(silence({ startsAt: '+275760-09-13T00:00:00Z', duration: '1h' }))).toBe(
      'startsAt: "+275760-09-13T00:00:00Z" is out of range: give a time from 1970 to 9999',
    );
    expect(policy.publish).not.toHaveBeenCalled();
  });
});

describe('POST /api/v1/maintenance', () => {
  const policy = feed();
  const controller = new MaintenanceController(policy as unknown as AlertPolicyFeed);
  const window = (schedule: Record<string, unknown>) => () =>
    controller.create({ matchers: 'service="db"', schedule }, request);

  it('answers a one-off window too long or too far ahead with a 400 naming the field', async () => {
    expect(await refusal(window({ kind: 'once', duration: '99999999999w' }))).toBe(
      'duration: too long ("99999999999w"): at most 1825d (5 years)',
    );
    expect(await refusal(window({ kind: 'once', endsAt: '+100000-01-01T00:00:00Z' }))).toBe(
      'endsAt: "+100000-01-01T00:00:00Z" is out of range: give a time from 1970 to 9999',
    );
    expect(
      await refusal(
        window({ kind: 'weekly', days: ['mon'], start: '22:00', duration: '8d', timeZone: 'UTC' }),
      ),
    ).toBe('duration: too long for a weekly window ("8d"): at most 7d');
    expect(policy.publish).not.toHaveBeenCalled();
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { App, LogLevel } from '@slack/bolt';
import { signSlackRequest } from '@vigil/chatops';
import { SignedHttpReceiver } from './signed-http-receiver';
import { SlackLogger } from './slack-logger';

const SECRET = 'test-signing-secret';
const quiet: LoggerService = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('SignedHttpReceiver', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const boltLogger = new SlackLogger(quiet, LogLevel.ERROR);
    const receiver = new SignedHttpReceiver(SECRET, quiet, boltLogger);
    const app = new App({
      receiver,
      logger: boltLogger,
      authorize: async () => ({ botToken: 'xoxb-test' }),
    });
    app.command('/vigil', async ({ ack }) => {
      await ack({ response_type: 'ephemeral', text: 'ok' });
    });
    app.command('/broken', async () => {
      throw new Error('the listener failed before it acknowledged');
    });
    app.error(async () => undefined);
    server = createServer((request, response) => void receiver.dispatch(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function signedForm(fields: Record<string, string>) {
    const body = new URLSearchParams(fields).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = Date.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signSlackRequest(SECRET, timestamp, body),
      },
      body,
    });
    return { status: response.status, text: await response.text(), ms: Date.now() - started };
  }

  const command = (name: string) => ({
    command: name,
    text: 'status',
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'U1',
    user_name: 'ann',
    trigger_id: 't1',
    response_url: 'https://hooks.slack.invalid/r',
  });

  it('answers a command its listener acknowledges', async () => {
    const answer = await signedForm(command('/vigil'));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ text: 'ok' });
  });

  it('answers a signed command no listener takes at once with a 400 naming it', async () => {
    const answer = await signedForm(command('/other'));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      statusCode: 400,
      message: 'no handler for command /other',
    });
    expect(answer.ms).toBeLessThan(2_000);
  });

  it('names a button no listener takes', async () => {
    const payload = {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U1' },
      actions: [{ type: 'button', action_id: 'snooze', value: 'inc-1', action_ts: '1' }],
    };
    const answer = await signedForm({ payload: JSON.stringify(payload) });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ message: 'no handler for action snooze' });
  });

  it('answers a signed form with nothing Slack sends in it at once with a 400', async () => {
    const answer = await signedForm({});
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      statusCode: 400,
      message: 'no handler for this request: it is no Slack command, interaction or event',
    });
    expect(answer.ms).toBeLessThan(2_000);
  });

  it('answers 500 at once when the listener fails before acknowledging', async () => {
    const answer = await signedForm(command('/broken'));
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.text)).toEqual({ statusCode: 500, message: 'internal error' });
    expect(answer.ms).toBeLessThan(2_000);
  });
});

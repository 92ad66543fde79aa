import { parseSlackRequestBody } from './slack-request-body';

const form = 'application/x-www-form-urlencoded';

describe('parseSlackRequestBody', () => {
  it('reads a slash command from its form fields', () => {
    expect(
      parseSlackRequestBody(form, 'command=%2Fvigil&text=ack+inc-1&user_id=U1&trigger_id=t.1'),
    ).toEqual({
      kind: 'payload',
      body: { command: '/vigil', text: 'ack inc-1', user_id: 'U1', trigger_id: 't.1' },
    });
  });

  it('reads a button click from the JSON in its payload field', () => {
    const payload = { type: 'block_actions', actions: [{ action_id: 'approve', value: 'p1' }] };
    const raw = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    expect(parseSlackRequestBody(`${form}; charset=utf-8`, raw)).toEqual({
      kind: 'payload',
      body: payload,
    });
  });

  it('answers the Events API challenge and the SSL check', () => {
    expect(
      parseSlackRequestBody(
        'application/json',
        '{"type":"url_verification","challenge":"abc","token":"x"}',
      ),
    ).toEqual({ kind: 'url-verification', challenge: 'abc' });
    expect(parseSlackRequestBody(form, 'ssl_check=1&token=x')).toEqual({ kind: 'ssl-check' });
  });

  it('says what is wrong with anything else', () => {
    expect(parseSlackRequestBody('text/plain', 'x')).toEqual({
      kind: 'invalid',
      reason: 'expected application/x-www-form-urlencoded or application/json, got text/plain',
    });
    expect(parseSlackRequestBody(form, 'payload=%7Bnot')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/^body is not valid JSON/),
    });
    expect(parseSlackRequestBody('application/json', '[1]')).toEqual({
      kind: 'invalid',
      reason: 'body is not a JSON object',
    });
  });
});

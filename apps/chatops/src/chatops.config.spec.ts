import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnvConfig } from '@vigil/config';
import { chatopsEnv } from './chatops.config';

const http = {
  SLACK_SIGNING_SECRET: 'secret',
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_CHANNEL: 'C0123ABC',
};

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadEnvConfig(chatopsEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('chatops configuration', () => {
  it('has working defaults in HTTP mode', () => {
    expect(loadEnvConfig(chatopsEnv, http)).toMatchObject({
      port: 3111,
      mode: 'http',
      group: 'vigil-chatops',
      startAt: 'latest',
      cardIntervalMs: 1000,
      cardMaxAgeMs: 60 * 60_000,
      userRoles: {},
    });
  });

  it('names what each mode needs', () => {
    expect(problemsOf({ ...http, SLACK_SIGNING_SECRET: '' })).toMatch(
      /SLACK_SIGNING_SECRET: is required when CHATOPS_MODE=http/,
    );
    expect(problemsOf({ ...http, CHATOPS_MODE: 'socket' })).toMatch(
      /SLACK_APP_TOKEN: is required when CHATOPS_MODE=socket: an app-level token \(xapp-…\)/,
    );
    expect(
      loadEnvConfig(chatopsEnv, {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_CHANNEL: '#ops',
        CHATOPS_MODE: 'socket',
        SLACK_APP_TOKEN: 'xapp-1',
      }).mode,
    ).toBe('socket');
    expect(problemsOf({ ...http, CHATOPS_MODE: 'webhook' })).toMatch(
      /CHATOPS_MODE: must be http or socket \(got "webhook"\)/,
    );
  });

  it('says which Slack variable is missing or wrong', () => {
    const message = problemsOf({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxp-user' });
    expect(message).toMatch(/SLACK_BOT_TOKEN: must be the Slack bot token \(xoxb-…/);
    expect(message).toMatch(/SLACK_CHANNEL: must name the channel for incident cards.*not set/);
    expect(problemsOf({ ...http, SLACK_API_URL: 'ftp://x' })).toMatch(
      /SLACK_API_URL: must be an http\(s\) URL/,
    );
  });

  it('reads the roles from the variable or a file, and says what is wrong with them', () => {
    const roles = '{"U0123ABC": "approver"}';
    expect(loadEnvConfig(chatopsEnv, { ...http, CHATOPS_USER_ROLES: roles }).userRoles).toEqual({
      U0123ABC: 'approver',
    });
    const file = join(mkdtempSync(join(tmpdir(), 'chatops-')), 'roles.json');
    writeFileSync(file, roles);
    expect(loadEnvConfig(chatopsEnv, { ...http, CHATOPS_USER_ROLES_FILE: file }).userRoles).toEqual(
      { U0123ABC: 'approver' },
    );
    expect(problemsOf({ ...http, CHATOPS_USER_ROLES: '{"ann": "approver"}' })).toMatch(
      /CHATOPS_USER_ROLES: "ann" is not a Slack user id/,
    );
    expect(problemsOf({ ...http, CHATOPS_USER_ROLES_FILE: `${file}.missing` })).toMatch(
      /CHATOPS_USER_ROLES_FILE: cannot be read: ENOENT/,
    );
    expect(
      problemsOf({ ...http, CHATOPS_USER_ROLES: roles, CHATOPS_USER_ROLES_FILE: file }),
    ).toMatch(/CHATOPS_USER_ROLES_FILE: set it or CHATOPS_USER_ROLES, not both/);
  });
});

import { z } from 'zod';
import { decisionSigningEnvFields, decisionSigningSettingsFromEnv } from './decision-signing-env';

const schema = z.object(
  decisionSigningEnvFields('chat-ops', { signs: 'made in chat', whose: "The chat app's" }),
);

describe('the variables of an app where people decide on plans', () => {
  it("signs with the app's own key under the app's name, and lets a plan be approved for 30 minutes", () => {
    expect(decisionSigningSettingsFromEnv(schema.parse({}), 'chat-ops')).toEqual({
      decisionKey: { file: '.vigil/secrets/chat-ops-decision-key.pem', keyId: 'chat-ops' },
      planTtlMs: 30 * 60_000,
    });
  });

  it('reads them under the prefix of the app', () => {
    const env = schema.parse({
      CHAT_OPS_DECISION_KEY_FILE: '/keys/chat.pem',
      CHAT_OPS_DECISION_KEY_ID: 'chat-2',
      CHAT_OPS_PLAN_TTL_MS: '60000',
    });
    expect(decisionSigningSettingsFromEnv(env, 'chat-ops')).toEqual({
      decisionKey: { file: '/keys/chat.pem', keyId: 'chat-2' },
      planTtlMs: 60_000,
    });
  });

  it('refuses a key id the executor could not name in EXECUTOR_DECISION_KEYS', () => {
    expect(() => schema.parse({ CHAT_OPS_DECISION_KEY_ID: 'chat ops' })).toThrow(
      'letters, digits and . _ - only',
    );
  });

  it('says in its descriptions which app signs', () => {
    expect(schema.shape.CHAT_OPS_DECISION_KEY_FILE.description).toMatch(
      /^Ed25519 private key \(PEM\) that signs every decision made in chat;/,
    );
    expect(schema.shape.CHAT_OPS_DECISION_KEY_ID.description).toBe(
      "The chat app's key id in EXECUTOR_DECISION_KEYS.",
    );
  });
});

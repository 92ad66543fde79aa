import type { z } from 'zod';
import type { TopicDefinition } from './topics';

export type DecodeFailure = {
  ok: false;
  kind: 'malformed-json' | 'schema-violation';
  reason: string;
};
export type DecodeResult<T> = { ok: true; value: T } | DecodeFailure;

/** Turns zod issues into one line a producer can act on: where, and what was expected. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Decodes raw Kafka bytes against a topic's contract (JSON, or bytes as they are), never throwing. */
export function decodeEvent<S extends z.ZodType>(
  topic: TopicDefinition<S>,
  raw: Buffer | string | null,
): DecodeResult<z.output<S>> {
  if (raw === null) return { ok: false, kind: 'malformed-json', reason: 'message has no value' };
  if (topic.encoding === 'bytes')
    return checked(topic, typeof raw === 'string' ? Buffer.from(raw) : raw);
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      kind: 'malformed-json',
      reason: `not valid JSON: ${(error as Error).message}`,
    };
  }
  return checked(topic, json);
}

function checked<S extends z.ZodType>(
  topic: TopicDefinition<S>,
  value: unknown,
): DecodeResult<z.output<S>> {
  const parsed = topic.schema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      kind: 'schema-violation',
      reason: `does not match ${topic.name}: ${describeIssues(parsed.error)}`,
    };
  }
  return { ok: true, value: parsed.data };
}

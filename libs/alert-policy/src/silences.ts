import { z } from 'zod';
import { silenceSchema, type LabelMatcher, type Silence } from '@vigil/contracts';
import { checkMatcher, MatcherError, matchesEverything } from './label-matchers';
import { PolicyError } from './policy-error';

/**
 * A silence checked beyond its schema: valid regexes, an end after the start, and matchers that
 * do not match every alert (Alertmanager refuses those too). Throws a PolicyError or MatcherError.
 */
export function checkSilence(input: unknown): Silence {
  const parsed = silenceSchema.safeParse(input);
  if (!parsed.success)
    throw new PolicyError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'silence'}: ${i.message}`).join('; '),
    );
  const silence = parsed.data;
  silence.matchers.forEach(checkMatcher);
  if (Date.parse(silence.endsAt) <= Date.parse(silence.startsAt))
    throw new PolicyError(
      `the silence ends (${silence.endsAt}) before it starts (${silence.startsAt})`,
    );
  if (matchesEverything(silence.matchers))
    throw new PolicyError('the matchers would match every alert: name at least one label value');
  return silence;
}

/** In force at `now` (ms): started and not yet ended. */
export function silenceActive(silence: Silence, now: number): boolean {
  return Date.parse(silence.startsAt) <= now && now < Date.parse(silence.endsAt);
}

/** Alertmanager's `GET /api/v2/silences` items (gettableSilence). */
const alertmanagerSilence = z.object({
  id: z.string().min(1),
  status: z.object({ state: z.enum(['active', 'pending', 'expired']) }).optional(),
  matchers: z.array(
    z.object({
      name: z.string(),
      value: z.string(),
      isRegex: z.boolean(),
      isEqual: z.boolean().optional(),
    }),
  ),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
});

export interface SilenceImport {
  silences: Silence[];
  /** The ones not taken, each with why: expired ones, and ones Vigil cannot read. */
  skipped: Array<{ id: string; reason: string }>;
}

/**
 * Alertmanager's silences JSON (the body of `GET /api/v2/silences`) as Vigil silences. Expired
 * silences and those already over at `now` are skipped; so is any that fails the checks, with its
 * reason. The ids are Alertmanager's, prefixed, so importing twice updates rather than doubles.
 */
export function importAlertmanagerSilences(json: unknown, now: number): SilenceImport {
  const list = z.array(z.unknown()).safeParse(json);
  if (!list.success)
    throw new PolicyError('expected a JSON array of silences (GET /api/v2/silences)');
  const result: SilenceImport = { silences: [], skipped: [] };
  list.data.forEach((item, index) => {
    const parsed = alertmanagerSilence.safeParse(item);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      result.skipped.push({ id: `#${index}`, reason: `not an Alertmanager silence (${reason})` });
      return;
    }
    const am = parsed.data;
    if (Number.isNaN(Date.parse(am.startsAt)) || Number.isNaN(Date.parse(am.endsAt))) {
      result.skipped.push({ id: am.id, reason: 'startsAt or endsAt is not a time' });
      return;
    }
    if (am.status?.state === 'expired' || Date.parse(am.endsAt) <= now) {
      result.skipped.push({ id: am.id, reason: 'expired' });
      return;
    }
    try {
      result.silences.push(
        checkSilence({
          id: `am-${am.id}`,
          matchers: am.matchers.map(toMatcher),
          startsAt: new Date(Date.parse(am.startsAt)).toISOString(),
          endsAt: new Date(Date.parse(am.endsAt)).toISOString(),
          createdBy: am.createdBy || 'alertmanager',
          comment: am.comment,
        }),
      );
    } catch (error) {
      if (!(error instanceof PolicyError || error instanceof MatcherError)) throw error;
      result.skipped.push({ id: am.id, reason: error.message });
    }
  });
  return result;
}

function toMatcher(m: {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}): LabelMatcher {
  const equal = m.isEqual ?? true;
  const op = m.isRegex ? (equal ? '=~' : '!~') : equal ? '=' : '!=';
  return { name: m.name, op, value: m.value };
}

/** As Alertmanager shows it: not started yet, in force, or over. */
export function silenceState(silence: Silence, now: number): 'pending' | 'active' | 'expired' {
  if (now >= Date.parse(silence.endsAt)) return 'expired';
  return now < Date.parse(silence.startsAt) ? 'pending' : 'active';
}

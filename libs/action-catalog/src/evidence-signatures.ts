import type { ActionName, PlanStep } from '@vigil/contracts';
import { actionDefinition, checkStep, type VerificationKind } from './action-catalog';

/**
 * Evidence signatures: what well-known failures held outside the process print, and the catalog
 * action that treats what holds them. A restart cures none of them (a full volume, a lock whose
 * holder died, a poisoned cache entry, expired credentials, a failing primary), and the fault
 * class of their symptoms (errors, latency) has no runbook that does; the log line itself names
 * the treatment and, mostly, its parameter. The patterns follow the wording of common software
 * (POSIX errno names, lock files, cache clients, auth failures, replicated stores); a line that
 * names no parameter where the action needs one (a lock wait without the lock's name, a decode
 * error on a masked key) is no signature: guessing a key or a lock is not a treatment.
 */
export interface EvidenceSignature {
  /** Stable: it marks the plans drafted from it and the diagnoses planned for. */
  id: string;
  action: ActionName;
  /** What the treatment does and why, for the plan and the approver. */
  rationale: string;
  /** Each tried in turn on a log template; named groups are the step's parameters. */
  patterns: readonly RegExp[];
  /** The step's parameters from a match, or undefined when the match names none it can use. */
  params: (groups: Readonly<Record<string, string | undefined>>) => PlanStep['params'] | undefined;
}

/** A miner's wildcard or anything masked: a parameter read from it would be a guess. */
const masked = (value: string) => /<\*>|\*/.test(value);

/** Quotes and the punctuation a line puts after a name are not part of it. */
const bare = (value: string) => value.replace(/^['"`([]+|['"`)\],;:.]+$/g, '');

/** A lock named by its file: `/var/run/app/orders.lock` is the lock `orders`. */
function lockName(raw: string | undefined): string | undefined {
  if (!raw || masked(raw)) return undefined;
  const base = bare(raw).split('/').pop() ?? '';
  const name = base.replace(/\.lock$/i, '');
  return /^[a-zA-Z0-9_.-]+$/.test(name) ? name : undefined;
}

const named =
  (param: string, normalise: (raw: string | undefined) => string | undefined = plainValue) =>
  (groups: Readonly<Record<string, string | undefined>>) => {
    const value = normalise(groups[param]);
    return value === undefined ? undefined : { [param]: value };
  };

function plainValue(raw: string | undefined): string | undefined {
  if (!raw || masked(raw)) return undefined;
  const value = bare(raw);
  return value.length > 0 ? value : undefined;
}

export const evidenceSignatures: readonly EvidenceSignature[] = [
  {
    id: 'volume-full',
    action: 'free-disk',
    rationale:
      'writes fail because the data volume is full: free its scratch space (a restart keeps the files)',
    patterns: [
      /\bENOSPC\b/,
      /\bEDQUOT\b/,
      /no space left on device/i,
      /\b(?:disk|volume|filesystem|file system) (?:is )?full\b/i,
      /\b(?:disk|volume) quota exceeded\b/i,
    ],
    params: () => ({ area: 'tmp' }),
  },
  {
    id: 'stale-lock',
    action: 'release-lock',
    rationale:
      'requests wait on a lock whose holder is gone: release it (refused if its holder still runs)',
    patterns: [
      /\block (?:file )?(?<lock>\S+) (?:is )?held by (?:.*?)(?:that|which|who) (?:is gone|no longer exists|has exited|died|is dead)/i,
      /\b(?:stale|orphaned|abandoned) lock(?: file)? (?<lock>\S+)/i,
      /\bwaiting for (?:the )?lock (?<lock>[^\s(]+)/i,
      /\bcould not (?:acquire|obtain) (?:the )?lock (?<lock>[^\s(]+)/i,
    ],
    params: named('lock', lockName),
  },
  {
    id: 'undecodable-cache-entry',
    action: 'clear-cache-key',
    rationale:
      'one cache entry holds bytes its readers cannot decode: delete it, and its readers rebuild it',
    patterns: [
      /\b(?:cannot|can't|could not|failed to|unable to) (?:decode|deseriali[sz]e|unmarshal|unpickle|parse) (?:the )?(?:cached )?(?:value|entry|payload|data) (?:of|for|at) (?:cache )?key (?<key>\S+)/i,
      /\b(?:corrupt|poisoned|undecodable) (?:cache )?(?:value|entry) (?:of|for|at) key (?<key>\S+)/i,
    ],
    params: named('key'),
  },
  {
    id: 'expired-credentials',
    action: 'rotate-credentials',
    rationale:
      'calls to a dependency are refused because the credentials for it expired: issue new ones',
    patterns: [
      /\bauthenticat\w* (?:to|with|against) (?<dependency>\S+) failed\b.*\bexpired\b/i,
      /\b(?:credentials?|token|secret|password|certificate)s? (?:for|of) (?<dependency>\S+) (?:has |have )?expired\b/i,
      /\b(?:401|403)(?: \w+)? from (?<dependency>\S+?):? .*\b(?:credentials?|token|secret|certificate)s? (?:has |have )?expired\b/i,
    ],
    params: named('dependency'),
  },
  {
    id: 'failing-primary',
    action: 'failover',
    rationale:
      'the primary node fails at its disk while a replica is healthy: promote the replica (a restart keeps the disk)',
    patterns: [
      /\b(?:I\/O|disk|EIO) error on (?:the )?(?:primary|master)\b/i,
      /\b(?:primary|master)\b[^.]*\bdegraded\b/i,
      /\bdisk latency \S+ ms, replica (?<toReplica>\S+) healthy/i,
    ],
    params: (groups): PlanStep['params'] => {
      const replica = plainValue(groups['toReplica']);
      return replica === undefined ? {} : { toReplica: replica };
    },
  },
];

/** A signature found in a candidate's log templates, with the step it calls for. */
export interface SignatureMatch {
  signature: EvidenceSignature;
  /** The log template that showed it. */
  template: string;
  step: Omit<PlanStep, 'stepId'>;
}

/** The checks that tell the treatment worked: the symptoms go, as far as the action supports them. */
const wantedChecks: readonly VerificationKind[] = [
  'error-rate-below',
  'latency-below',
  'alerts-resolved',
];

function stepFor(
  signature: EvidenceSignature,
  target: string,
  params: PlanStep['params'],
  template: string,
): Omit<PlanStep, 'stepId'> {
  const supported = actionDefinition(signature.action).verifications;
  return {
    action: signature.action,
    target,
    params,
    rationale: `${signature.rationale} (the log says ${JSON.stringify(template.slice(0, 160))})`,
    verification: wantedChecks.filter((check) => supported.includes(check)),
  };
}

/**
 * The first signature the target's own log templates show, in the order given (the templates a
 * ranking lists come strongest first), whose step is valid for the catalog. Undefined when none.
 */
export function matchSignature(
  target: string,
  templates: readonly string[],
  signatures: readonly EvidenceSignature[] = evidenceSignatures,
): SignatureMatch | undefined {
  for (const template of templates)
    for (const signature of signatures)
      for (const pattern of signature.patterns) {
        const match = pattern.exec(template);
        if (!match) continue;
        const params = signature.params(match.groups ?? {});
        if (params === undefined) continue;
        const step = stepFor(signature, target, params, template);
        if (checkStep(step).ok) return { signature, template, step };
      }
  return undefined;
}

/** Marks the plans drafted from a signature; the signature's id follows the colon. */
export const SIGNATURE_PROMPT_PREFIX = 'evidence-signature:';

/** The signature a plan was drafted from, read back from its prompt hash; undefined for others. */
export function signatureOfPromptHash(promptHash: string): string | undefined {
  return promptHash.startsWith(SIGNATURE_PROMPT_PREFIX)
    ? promptHash.slice(SIGNATURE_PROMPT_PREFIX.length)
    : undefined;
}

/**
 * What a plan is drafted for, as one label: the fault class, and the signature when the evidence
 * shows one. Errors first planned as plain errors, whose log later names a full volume, are a new
 * diagnosis that gets its own plan; the same signature again is not.
 */
export function diagnosisLabel(faultClass: string, signatureId?: string): string {
  return signatureId === undefined ? faultClass : `${faultClass}+${signatureId}`;
}

/** Where a plan's steps came from: the catalog's known-good runbook, a signature, or a model. */
export type PlanSource = 'known-good' | 'evidence-signature' | 'model';

export function planSource(provenance: { promptHash: string; fallbackUsed: boolean }): PlanSource {
  if (provenance.fallbackUsed) return 'known-good';
  return signatureOfPromptHash(provenance.promptHash) === undefined
    ? 'model'
    : 'evidence-signature';
}

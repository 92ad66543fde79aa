import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { Topics, type RemediationDecision, type RemediationPlan } from '@vigil/contracts';
import { CLOSED_CIRCUIT, evaluatePlan, planRefusalReasons } from '@vigil/guardrails';
import { checkDecision, planContentHash, planHalt, signDecision } from '@vigil/remediation-engine';
import { NOW, POLICY, TOPOLOGY } from './corpus-world';

/**
 * The attacks behind the trust boundary (issue 17), through the same pure checks the executor
 * runs on every plan and decision; test/executor/executor-security.test.ts runs each of them
 * against a real executor on Kafka.
 */
export interface SecurityOutcome {
  id: string;
  refused: boolean;
  reason: string;
}

const TTL_MS = POLICY.planTtlSeconds * 1000;
const consoleKey = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const keys = new Map([['console', consoleKey.publicKey]]);
const signer = { keyId: 'console', privateKey: consoleKey.privateKey };

function plan(planId: string, steps: RemediationPlan['steps'], ageMs = 60_000): RemediationPlan {
  return {
    schemaVersion: 1,
    planId,
    incidentId: `inc-${planId}`,
    createdAt: new Date(NOW - ageMs).toISOString(),
    faultClass: 'crash',
    summary: 'security case',
    steps,
    provenance: { model: 'bench', promptHash: '0000', fallbackUsed: false },
  };
}

const restart = (batchSize: number): RemediationPlan['steps'] => [
  { stepId: 's1', action: 'restart', target: 'checkout', params: { batchSize }, verification: [] },
];

const approve = (planId: string): RemediationDecision => ({
  schemaVersion: 1,
  decisionId: `d-${planId}`,
  planId,
  decision: 'approve',
  by: { user: 'alice', role: 'approver' },
  via: 'console',
  at: new Date(NOW).toISOString(),
});

function decisionCase(id: string, decision: RemediationDecision, held: RemediationPlan) {
  const check = checkDecision(decision, held, keys);
  return {
    id,
    refused: !check.ok,
    reason: check.ok ? '(counted)' : `${check.code}: ${check.reason}`,
  };
}

/** Topics each principal may write on the secured Kafka: the launcher's ACL table, derived rules applied. */
function writableTopics(): Record<string, string[]> {
  const module = join(__dirname, '..', '..', 'infra', 'local', 'lib', 'kafka-security-acls.mjs');
  // the table is an ES module of the launcher's: a child node reads it
  const script = `const m = await import(${JSON.stringify(module)});
const names = m.principals().filter((p) => p !== m.ADMIN_PRINCIPAL);
console.log(JSON.stringify(Object.fromEntries(names.map((n) => [n, m.effectiveAccess(n).writes]))));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, string[]>;
}

/**
 * Producers without the ACL: what the broker refuses, judged on the ACL table it is set up from
 * (test/security/kafka-auth.test.ts sends each of them to a real broker with TLS, SCRAM and ACLs).
 */
function producerCases(): SecurityOutcome[] {
  const writes = writableTopics();
  const attempt = (id: string, user: string, topic: string): SecurityOutcome => {
    const allowed = writes[user]?.includes(topic) ?? false;
    return {
      id,
      refused: !allowed,
      reason: allowed
        ? '(written)'
        : `the broker has no ACL allowing User:${user} WRITE on Topic:${topic}`,
    };
  };
  return [
    attempt(
      'producer without the ACL: approval from ingest',
      'ingest',
      Topics.remediationDecisions.name,
    ),
    attempt('producer without the ACL: plan from ingest', 'ingest', Topics.remediationPlans.name),
    attempt(
      'producer without the ACL: planner approving',
      'planner',
      Topics.remediationDecisions.name,
    ),
    attempt(
      'producer without the ACL: audit event from the console',
      'console',
      Topics.remediationExecutions.name,
    ),
    attempt(
      'executor writing its audit trail (control)',
      'executor',
      Topics.remediationExecutions.name,
    ),
  ];
}

export function securityCases(): SecurityOutcome[] {
  const a = plan('plan-a', restart(1));
  const b = plan('plan-b', restart(1));
  const altered = { ...a, steps: restart(4) };
  const forged = signDecision(approve(a.planId), a, {
    keyId: 'console',
    privateKey: stranger.privateKey,
  });
  const onA = signDecision(approve(a.planId), a, signer);
  const replayed = signDecision({ ...approve(b.planId) }, a, signer);
  const flag = plan('plan-flag', [
    {
      stepId: 's1',
      action: 'toggle-feature-flag',
      target: 'frontend',
      params: { flag: 'skip-auth', enabled: true },
      verification: [],
    },
  ]);
  const flagVerdict = evaluatePlan(flag, {
    policy: POLICY,
    environment: 'production',
    topology: TOPOLOGY,
    history: [],
    decisions: [],
    circuit: CLOSED_CIRCUIT,
    now: NOW,
  });
  const halt = (p: RemediationPlan, closed: boolean) =>
    planHalt(p, NOW, TTL_MS, { closed, why: 'resolved by rita (console)' });
  const resolved = halt(a, true);
  const expired = halt(plan('plan-old', restart(1), TTL_MS + 60_000), false);
  return [
    decisionCase('forged decision', forged, a),
    decisionCase('decision replayed onto another plan', replayed, b),
    decisionCase('decision on the first version, plan altered under its id', onA, altered),
    {
      id: 'altered plan under a known id',
      refused: planContentHash(altered) !== planContentHash(a),
      reason: 'altered-plan: the content hash differs from the first version',
    },
    {
      id: 'plan of a resolved incident',
      refused: resolved !== undefined,
      reason: resolved?.reason ?? '',
    },
    { id: 'expired plan', refused: expired !== undefined, reason: expired?.reason ?? '' },
    {
      id: 'flag the target does not declare',
      refused: flagVerdict.verdict === 'deny',
      reason: planRefusalReasons(flagVerdict)
        .map((r) => `${r.code}: ${r.message}`)
        .join('; '),
    },
    decisionCase('signed approval of the plan as it is (control)', onA, a),
    ...producerCases(),
  ];
}

import type { MissingStep, RootCauseCandidate } from '@vigil/contracts';

type Evidence = RootCauseCandidate['evidence'];

/**
 * A step that stopped coming, in words: which step usually followed which, how many came of how
 * many expected, and whose work it was when a caller saw it. `name` dresses a step's name (code
 * in markdown: an operation's `_` or `*` is no markup).
 */
export function missingStepText(step: MissingStep, name = (s: string) => s): string {
  const expected = Math.round(step.expected * 10) / 10;
  const witness = step.witness ? `, in ${step.witness}'s work after calling it` : '';
  return `missing step ${name(step.from)} → ${name(step.to)}: ${step.observed} of ${expected} expected (usually ${Math.round(step.usual * 100)}%)${witness}`;
}

const TEMPLATE_CHARS = 60;

/**
 * Why a candidate stands where it does, in a few short phrases for a chat card: one item of each
 * kind of evidence before a second of any (what changed by hand first, then what moved: metrics,
 * logs, missing steps, alerts), strongest first within a kind, and how many more there are.
 */
export function evidenceBrief(evidence: Evidence, max = 3): string[] {
  const kinds = [
    (evidence.deploys ?? []).map((d) => `deploy ${d.version}`),
    (evidence.configChanges ?? []).map((c) => `config ${c.version}`),
    [...evidence.metrics]
      .sort((a, b) => b.score - a.score)
      .map((m) => `${m.metric} ${m.direction ?? 'changed'}`),
    [...evidence.logTemplates]
      .sort((a, b) => b.score - a.score)
      .map((l) => `log ${l.pattern ?? 'template'} "${shortened(l.template)}"`),
    [...(evidence.missingSteps ?? [])]
      .sort((a, b) => b.surprise - a.surprise)
      .map((s) => `missing step after ${shortened(s.from)}`),
    evidence.alerts.map((a) => `alert ${a.alertname}`),
  ];
  const total = kinds.reduce((n, k) => n + k.length, 0);
  const brief: string[] = [];
  for (let depth = 0; brief.length < Math.min(max, total); depth++)
    for (const kind of kinds)
      if (depth < kind.length && brief.length < max) brief.push(kind[depth]);
  if (total > brief.length) brief.push(`${total - brief.length} more`);
  return brief;
}

function shortened(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TEMPLATE_CHARS ? `${line.slice(0, TEMPLATE_CHARS - 1)}…` : line;
}

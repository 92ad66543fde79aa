// Does people's feedback make the correlator better? (issue 15, item 7)
//   npm run bench:feedback -- [--mistakes K] [--seed SEED] [--scenario ID[,ID...]] [--json FILE]
// The correlation corpus is replayed scenario by scenario, in its order (one day each). In each, a
// simulated responder (bench/feedback-responder.ts) reads Vigil's grouping of the first half of
// the scenario against the truth and corrects its first K mistakes: splits the alerts of another
// true incident out of an incident, merges a true incident spread over several. The corrections
// are learned as people's are (FeedbackMemory, kinds = alertname@service), and kept for the
// scenarios after. Each scenario is then replayed with what has been learned so far. The figure
// that counts is pairwise F1 on the second half of each scenario: alerts that came after the
// corrections, none of which a responder touched. The whole replay is printed too.
import { writeFileSync } from 'node:fs';
import type { Alert, IncidentFeedback } from '@vigil/contracts';
import {
  correlateAlerts,
  evaluateGrouping,
  FeedbackMemory,
  type GroupingMetrics,
} from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
import {
  DEFAULT_CORPUS_SEED,
  generateCorpus,
  type ScenarioCorpus,
} from './correlation/corpus-generator';
import { responderFeedback } from './feedback-responder';
import type { FeedbackFigures, FeedbackResults } from './feedback-table';
import { progress } from './support/progress';

interface Args {
  seed: string;
  mistakes: number;
  only?: string[];
  json: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seed: DEFAULT_CORPUS_SEED,
    mistakes: 10,
    json: 'bench/results/feedback.json',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--seed') args.seed = value;
    else if (flag === '--mistakes') args.mistakes = Number(value);
    else if (flag === '--scenario') args.only = value.split(',');
    else if (flag === '--json') args.json = value;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(args.mistakes) || args.mistakes < 0)
    throw new Error('--mistakes must be a whole number');
  return args;
}

function figures(m: GroupingMetrics): FeedbackFigures {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    alerts: m.items,
    incidents: m.predictedIncidents,
    trueIncidents: m.trueIncidents,
    precision: r(m.precision),
    recall: r(m.recall),
    f1: r(m.f1),
    macroPurity: r(m.macroPurity),
  };
}

interface Graded {
  truth: string[];
  before: string[];
  after: string[];
  later: boolean[];
}

async function replay(
  scenario: ScenarioCorpus,
  embed: CachedEmbedder,
  memory?: FeedbackMemory,
): Promise<string[]> {
  const alerts: Alert[] = scenario.alerts.map((a) => a.alert);
  const { incidentOf } = await correlateAlerts(alerts, {
    embed: (texts) => embed.embed(texts),
    topology: scenario.topology,
    ...(memory && { feedback: memory }),
  });
  return incidentOf.map((id, i) => id || `unassigned:${i}`);
}

async function runScenario(
  scenario: ScenarioCorpus,
  embed: CachedEmbedder,
  memory: FeedbackMemory,
  mistakes: number,
): Promise<{ graded: Graded; feedback: IncidentFeedback[] }> {
  const mid = (Date.parse(scenario.start) + Date.parse(scenario.end)) / 2;
  const later = scenario.alerts.map((a) => Date.parse(a.alert.receivedAt) >= mid);
  progress(`${scenario.id}: replay without feedback`);
  const before = await replay(scenario, embed);
  const firstHalf = scenario.alerts
    .map((a, i) => ({ alert: a.alert, truth: a.truth, incident: before[i] }))
    .filter((_, i) => !later[i]);
  const feedback = responderFeedback(firstHalf, mistakes);
  for (const correction of feedback) memory.learn(correction);
  progress(`${scenario.id}: ${feedback.length} corrections; replay with what was learned`);
  const after = await replay(scenario, embed, memory);
  return { graded: { truth: scenario.alerts.map((a) => a.truth), before, after, later }, feedback };
}

/** Figures over several scenarios at once; group labels get the scenario as prefix. */
function grade(
  all: Array<{ id: string; graded: Graded }>,
  pick: (g: Graded, i: number) => boolean,
): { before: FeedbackFigures; after: FeedbackFigures } {
  const truth: string[] = [];
  const before: string[] = [];
  const after: string[] = [];
  for (const { id, graded } of all)
    graded.truth.forEach((t, i) => {
      if (!pick(graded, i)) return;
      truth.push(t);
      before.push(`${id}|${graded.before[i]}`);
      after.push(`${id}|${graded.after[i]}`);
    });
  return {
    before: figures(evaluateGrouping(truth, before)),
    after: figures(evaluateGrouping(truth, after)),
  };
}

function line(label: string, pair: { before: FeedbackFigures; after: FeedbackFigures }): string {
  const f = (x: FeedbackFigures) =>
    `P ${x.precision.toFixed(3)} R ${x.recall.toFixed(3)} F1 ${x.f1.toFixed(3)} ` +
    `(${x.incidents} incidents vs ${x.trueIncidents})`;
  return `${label.padEnd(34)} without: ${f(pair.before)}\n${''.padEnd(34)} with:    ${f(pair.after)}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  progress('loading all-MiniLM-L6-v2 ...');
  const embed = new CachedEmbedder(await SentenceEmbedder.load({}), { embedText: 'normalized' });
  const corpus = generateCorpus(args.seed, args.only);
  if (corpus.scenarios.length === 0)
    throw new Error(`no scenario matches ${args.only?.join(', ')}`);
  const memory = new FeedbackMemory();
  const runs: Array<{ id: string; graded: Graded; feedback: IncidentFeedback[] }> = [];
  for (const scenario of corpus.scenarios)
    runs.push({ id: scenario.id, ...(await runScenario(scenario, embed, memory, args.mistakes)) });
  process.stderr.write('\n');

  const corrections = runs.flatMap((r) => r.feedback);
  const results: FeedbackResults = {
    date: new Date().toISOString().slice(0, 10),
    seed: corpus.seed,
    scenarios: runs.length,
    alerts: runs.reduce((n, r) => n + r.graded.truth.length, 0),
    mistakesPerScenario: args.mistakes,
    corrections: {
      merge: corrections.filter((c) => c.type === 'merge').length,
      split: corrections.filter((c) => c.type === 'split').length,
    },
    learnedPairs: memory.size(),
    later: grade(runs, (g, i) => g.later[i]),
    whole: grade(runs, () => true),
    perScenario: runs.map((r) => {
      const mine = grade([r], (g, i) => g.later[i]);
      return {
        id: r.id,
        corrections: r.feedback.length,
        laterF1Before: mine.before.f1,
        laterF1After: mine.after.f1,
      };
    }),
  };
  for (const s of results.perScenario)
    console.log(
      `${s.id.padEnd(28)} ${String(s.corrections).padStart(2)} corrections  later F1 ${s.laterF1Before.toFixed(3)} -> ${s.laterF1After.toFixed(3)}`,
    );
  console.log(
    `\n${results.corrections.merge} merges and ${results.corrections.split} splits (the first ${args.mistakes} mistakes of each scenario's first half); learned ${results.learnedPairs.join} join and ${results.learnedPairs.apart} apart pairs of alert kinds`,
  );
  console.log(line('later alerts (second halves)', results.later));
  console.log(line('the whole replay again', results.whole));
  const gain = results.later.after.f1 - results.later.before.f1;
  console.log(
    `${gain > 0 ? 'PASS' : 'FAIL'}  feedback raises pairwise F1 on later alerts: ${results.later.before.f1.toFixed(3)} -> ${results.later.after.f1.toFixed(3)}`,
  );
  writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`wrote ${args.json}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// Writes the evaluation corpus as files, for `vigil correlate --in alerts.jsonl` and other tools:
//   npx ts-node bench/correlation/write-corpus.ts OUT_DIR [--seed SEED] [--scenario ID[,ID...]]
// OUT_DIR/alerts.jsonl          every scenario, one {"alert","truth"} per line, in arrival order
// OUT_DIR/topology.json         the system's topology ({services, edges}), shared by all scenarios
// OUT_DIR/scenarios/ID.jsonl    one scenario's alerts, same format
// OUT_DIR/manifest.json         seed, and per scenario: title, window, counts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CORPUS_SEED,
  type LabeledAlert,
  generateCorpus,
  scenarioStats,
} from './corpus-generator';

interface Args {
  out: string;
  seed: string;
  only?: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { out: '', seed: DEFAULT_CORPUS_SEED };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') args.seed = argv[++i];
    else if (argv[i] === '--scenario') args.only = argv[++i].split(',');
    else if (!args.out) args.out = argv[i];
    else throw new Error(`unexpected argument ${argv[i]}`);
  }
  if (!args.out)
    throw new Error('usage: write-corpus.ts OUT_DIR [--seed SEED] [--scenario ID,...]');
  return args;
}

function jsonl(alerts: readonly LabeledAlert[]): string {
  return alerts.map(({ alert, truth }) => JSON.stringify({ alert, truth })).join('\n') + '\n';
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const corpus = generateCorpus(args.seed, args.only);
  if (corpus.scenarios.length === 0)
    throw new Error(`no scenario matches ${args.only?.join(', ')}`);
  mkdirSync(join(args.out, 'scenarios'), { recursive: true });
  // scenarios are on consecutive days, so concatenating keeps arrival order
  writeFileSync(
    join(args.out, 'alerts.jsonl'),
    corpus.scenarios.map((s) => jsonl(s.alerts)).join(''),
  );
  writeFileSync(join(args.out, 'topology.json'), JSON.stringify(corpus.topology, null, 2) + '\n');
  for (const s of corpus.scenarios)
    writeFileSync(join(args.out, 'scenarios', `${s.id}.jsonl`), jsonl(s.alerts));
  const manifest = {
    seed: corpus.seed,
    scenarios: corpus.scenarios.map((s) => ({
      ...scenarioStats(s),
      title: s.title,
      start: s.start,
      end: s.end,
    })),
  };
  writeFileSync(join(args.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const total = corpus.scenarios.reduce((n, s) => n + s.alerts.length, 0);
  console.log(`wrote ${total} alerts in ${corpus.scenarios.length} scenarios to ${args.out}`);
}

main();

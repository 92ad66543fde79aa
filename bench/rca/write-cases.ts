// Writes the generated RCA cases to disk in the RCAEval layout, so they can be run through
// RCAEval's own methods (or `vigil rca`) and compared with the figures of `npm run bench:rca`:
//   npx ts-node bench/rca/write-cases.ts OUT [--seed S] [--cases-per-type N] [--variant V]
// OUT/<system>/<root>_<fault>/<n>/{data.csv,inject_time.txt,case.json} plus OUT/<system>/topology.json
// and OUT/manifest.json (seed, and per case its id, label, traits and background anomalies).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CASES_PER_TYPE, DEFAULT_RCA_SEED, generateRcaCases } from './case-generator';
import { formatInjectTime, formatRcaEvalCsv } from './rcaeval-writer';
import { GENERATOR_VARIANTS, type GeneratorVariant } from './variant';

function main(argv: string[]): void {
  const out = argv[0];
  if (!out || out.startsWith('--'))
    throw new Error('usage: write-cases.ts OUT [--seed S] [--cases-per-type N] [--variant V]');
  let seed = DEFAULT_RCA_SEED;
  let casesPerType = DEFAULT_CASES_PER_TYPE;
  let variant: GeneratorVariant = 'default';
  for (let i = 1; i < argv.length; i += 2) {
    if (argv[i] === '--seed') seed = argv[i + 1];
    else if (argv[i] === '--cases-per-type') casesPerType = Number(argv[i + 1]);
    else if (argv[i] === '--variant') variant = variantNamed(argv[i + 1]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  const suite = generateRcaCases({ seed, casesPerType, variant });
  const runs = new Map<string, number>();
  const manifest = suite.cases.map((c) => {
    const folder = join(c.system, `${c.rootService}_${c.faultType}`);
    const run = (runs.get(folder) ?? 0) + 1;
    runs.set(folder, run);
    const dir = join(out, folder, String(run));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'data.csv'), formatRcaEvalCsv(c.rcaCase));
    writeFileSync(join(dir, 'inject_time.txt'), formatInjectTime(c.rcaCase));
    const { rcaCase, ...label } = c;
    const evidence = { logs: rcaCase.logs ?? [], alerts: rcaCase.alerts ?? [] };
    writeFileSync(
      join(dir, 'case.json'),
      JSON.stringify({ ...label, ...evidence }, null, 2) + '\n',
    );
    writeFileSync(
      join(out, c.system, 'topology.json'),
      JSON.stringify(rcaCase.topology, null, 2) + '\n',
    );
    return { path: join(folder, String(run)), ...label };
  });
  writeFileSync(
    join(out, 'manifest.json'),
    JSON.stringify({ ...suiteOf(seed, variant), cases: manifest }, null, 2) + '\n',
  );
  process.stdout.write(`${suite.cases.length} cases written to ${out}\n`);
}

/** The default generator's manifest reads as it always did. */
function suiteOf(seed: string, variant: GeneratorVariant): object {
  return variant === 'default' ? { seed } : { seed, variant };
}

function variantNamed(name: string | undefined): GeneratorVariant {
  const found = GENERATOR_VARIANTS.find((v) => v === name);
  if (!found) throw new Error(`--variant: one of ${GENERATOR_VARIANTS.join(', ')}`);
  return found;
}

main(process.argv.slice(2));

// npm run readme:tables: rewrites the README's benchmark tables from bench/results/*.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderReadme } from './results/results-tables';

const before = readFileSync('README.md', 'utf8');
const after = renderReadme(before, 'bench/results');
if (after !== before) writeFileSync('README.md', after);
process.stdout.write(
  after === before ? 'README tables are up to date\n' : 'README tables rewritten\n',
);

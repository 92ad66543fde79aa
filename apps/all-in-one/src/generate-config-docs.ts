import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDocFiles, repositoryRoot } from './config-docs';

// Writes docs/configuration.md and .env.example from the apps' zod schemas (npm run config:docs).
for (const file of configDocFiles()) {
  writeFileSync(join(repositoryRoot, file.path), file.text);
  process.stdout.write(`wrote ${file.path}\n`);
}

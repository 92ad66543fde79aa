import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJsonSchemas } from '../src/json-schema-export';

const outDir = join(__dirname, '..', 'json-schema');
mkdirSync(outDir, { recursive: true });
for (const { fileName, content } of exportJsonSchemas()) {
  writeFileSync(join(outDir, fileName), content);
  console.log(`wrote libs/contracts/json-schema/${fileName}`);
}

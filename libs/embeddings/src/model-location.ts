import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The sentence-embedding model Vigil ships with (laid out by `npm run models:fetch`). */
export const DEFAULT_EMBEDDING_MODEL_ID = 'Xenova/all-MiniLM-L6-v2';

/** Environment variable that overrides where local models live. */
export const MODELS_DIR_ENV = 'VIGIL_MODELS_DIR';

/** Files transformers.js needs to run a feature-extraction model from a local folder (fp32). */
export const REQUIRED_MODEL_FILES: readonly string[] = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/model.onnx',
];

export class ModelNotFoundError extends Error {
  constructor(
    readonly modelId: string,
    readonly modelsDir: string,
    readonly missingFiles: readonly string[],
  ) {
    super(
      `Embedding model "${modelId}" is not installed under ${modelsDir} ` +
        `(missing: ${missingFiles.join(', ')}). Run \`npm run models:fetch\` ` +
        `(or set ${MODELS_DIR_ENV} to a folder that holds it).`,
    );
    this.name = 'ModelNotFoundError';
  }
}

function isRepoRoot(dir: string): boolean {
  if (existsSync(join(dir, 'nx.json'))) return true;
  const pkgPath = join(dir, 'package.json');
  if (!existsSync(pkgPath)) return false;
  try {
    const pkg: unknown = JSON.parse(readFileSync(pkgPath, 'utf8'));
    return typeof pkg === 'object' && pkg !== null && (pkg as { name?: unknown }).name === 'vigil';
  } catch {
    return false;
  }
}

/**
 * Walks up from `startDir` to the Vigil repository root: the first folder holding `nx.json`
 * or a `package.json` named "vigil". Returns undefined when there is none.
 */
export function findRepoRoot(startDir: string = __dirname): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    if (isRepoRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Where local models live: the explicit argument, else `$VIGIL_MODELS_DIR`, else
 * `<repo root>/.vigil/models` (repo root found from this file, then from the working directory).
 */
export function resolveModelsDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  const fromEnv = env[MODELS_DIR_ENV];
  if (fromEnv) return resolve(fromEnv);
  const root = findRepoRoot(__dirname) ?? findRepoRoot(process.cwd());
  if (!root) {
    throw new Error(
      `Cannot find the Vigil repository root (a folder with nx.json) above ${__dirname} ` +
        `or ${process.cwd()}; set ${MODELS_DIR_ENV} to the models folder.`,
    );
  }
  return join(root, '.vigil', 'models');
}

export interface ModelLocation {
  readonly modelsDir: string;
  readonly modelId: string;
  readonly modelDir: string;
}

/** Resolves the model folder and checks the files transformers.js needs are there. */
export function locateModel(modelsDir: string, modelId: string): ModelLocation {
  const modelDir = join(modelsDir, ...modelId.split('/'));
  const missing = REQUIRED_MODEL_FILES.filter((f) => !existsSync(join(modelDir, f)));
  if (missing.length > 0) throw new ModelNotFoundError(modelId, modelsDir, missing);
  return { modelsDir, modelId, modelDir };
}

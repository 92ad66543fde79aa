import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_EMBEDDING_MODEL_ID,
  ModelNotFoundError,
  findRepoRoot,
  locateModel,
  resolveModelsDir,
} from './model-location';

describe('model location', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'vigil-emb-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds the repo root from this library', () => {
    const root = findRepoRoot(__dirname);
    expect(root).toBeDefined();
    expect(resolveModelsDir(undefined, {})).toBe(join(root as string, '.vigil', 'models'));
  });

  it('recognises a package.json named vigil', () => {
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'vigil' }));
    mkdirSync(join(tmp, 'a', 'b'), { recursive: true });
    expect(findRepoRoot(join(tmp, 'a', 'b'))).toBe(tmp);
  });

  it('prefers an explicit folder, then VIGIL_MODELS_DIR', () => {
    expect(resolveModelsDir('/x/models', { VIGIL_MODELS_DIR: '/y' })).toBe('/x/models');
    expect(resolveModelsDir(undefined, { VIGIL_MODELS_DIR: '/y/models' })).toBe('/y/models');
  });

  it('says how to fetch a missing model', () => {
    const dir = join(tmp, 'Xenova', 'all-MiniLM-L6-v2');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), '{}');
    let error: unknown;
    try {
      locateModel(tmp, DEFAULT_EMBEDDING_MODEL_ID);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ModelNotFoundError).missingFiles).toContain('onnx/model.onnx');
    expect((error as Error).message).toContain('npm run models:fetch');
  });
});

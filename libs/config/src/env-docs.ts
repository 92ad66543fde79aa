import { z } from 'zod';
import type { EnvConfig } from './load-config';

/** What docs/configuration.md and .env.example say about one variable. */
export interface EnvVariableDoc {
  name: string;
  /** The default as it would be written in the environment; undefined when there is none. */
  default?: string;
  required: boolean;
  unit?: string;
  description: string;
  /** Old names still read for one release. */
  replaces: string[];
}

/** Extra facts the generator reads from a variable's zod metadata (`.meta({...})`). */
export interface EnvMeta {
  /** e.g. `ms`; duration helpers set it. */
  unit?: string;
  /** Shown instead of a default that depends on the machine (the number of cores, ...). */
  defaultText?: string;
}

interface Def {
  type: string;
  in?: z.ZodType;
  out?: z.ZodType;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
}

const defOf = (schema: z.ZodType) => schema._zod.def as unknown as Def;

/** The object of variables under the transforms that turn it into settings. */
export function envObjectShape(schema: z.ZodType): Record<string, z.ZodType> {
  const def = defOf(schema);
  if (def.type === 'object' && def.shape) return def.shape;
  if (def.type === 'pipe' && def.in) return envObjectShape(def.in);
  throw new Error(`not an object of environment variables (zod type ${def.type})`);
}

type Found = { kind: 'default'; value: unknown } | { kind: 'optional' } | { kind: 'required' };

function defaultOf(schema: z.ZodType): Found {
  const def = defOf(schema);
  if (def.type === 'default' || def.type === 'prefault')
    return { kind: 'default', value: def.defaultValue };
  if (def.type === 'optional') return { kind: 'optional' };
  if (def.type === 'pipe' && def.in && def.out) {
    const inner = defaultOf(def.in);
    return inner.kind === 'required' ? defaultOf(def.out) : inner;
  }
  if (def.innerType) return defaultOf(def.innerType);
  return { kind: 'required' };
}

function envText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** One app's variables, in schema order. A variable without a description is an error. */
export function envVariableDocs(config: EnvConfig): EnvVariableDoc[] {
  return Object.entries(envObjectShape(config.schema)).map(([name, field]) => {
    const meta = (z.globalRegistry.get(field) ?? {}) as EnvMeta & { description?: string };
    if (!meta.description)
      throw new Error(`${config.app}: ${name} has no description (.describe() in its schema)`);
    const found = defaultOf(field);
    return {
      name,
      default: meta.defaultText ?? (found.kind === 'default' ? envText(found.value) : undefined),
      required: found.kind === 'required',
      unit: meta.unit,
      description: meta.description,
      replaces: (config.aliases ?? []).filter((a) => a.replacedBy === name).map((a) => a.name),
    };
  });
}

interface AppDocs {
  app: string;
  variables: EnvVariableDoc[];
}

const sameDoc = (a: EnvVariableDoc, b: EnvVariableDoc) => JSON.stringify(a) === JSON.stringify(b);

/** Variables several apps read the same way are documented once, before the apps. */
function splitShared(configs: readonly EnvConfig[]): { shared: AppDocs; apps: AppDocs[] } {
  const apps = configs.map((config) => ({ app: config.app, variables: envVariableDocs(config) }));
  const byName = new Map<string, EnvVariableDoc[]>();
  for (const app of apps)
    for (const variable of app.variables)
      byName.set(variable.name, [...(byName.get(variable.name) ?? []), variable]);
  const sharedNames = new Set(
    [...byName]
      .filter(([, docs]) => docs.length > 1 && docs.every((d) => sameDoc(d, docs[0])))
      .map(([name]) => name),
  );
  const shared = [...sharedNames].map((name) => (byName.get(name) ?? [])[0]);
  return {
    shared: { app: 'shared', variables: shared },
    apps: apps.map((app) => ({
      app: app.app,
      variables: app.variables.filter((v) => !sharedNames.has(v.name)),
    })),
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');

function defaultCell(variable: EnvVariableDoc): string {
  if (variable.required) return 'required';
  if (variable.default === undefined) return 'unset';
  return variable.default === '' ? '(empty)' : `\`${cell(variable.default)}\``;
}

function markdownTable(variables: readonly EnvVariableDoc[]): string[] {
  return [
    '| Variable | Default | Unit | Description | Replaces (deprecated) |',
    '| --- | --- | --- | --- | --- |',
    ...variables.map(
      (v) =>
        `| \`${v.name}\` | ${defaultCell(v)} | ${v.unit ?? ''} | ${cell(v.description)} | ${v.replaces
          .map((r) => `\`${r}\``)
          .join(', ')} |`,
    ),
  ];
}

export const CONFIG_DOCS_COMMAND = 'npm run config:docs';

/** docs/configuration.md: a table of variables per app. */
export function renderConfigurationMarkdown(configs: readonly EnvConfig[]): string {
  const { shared, apps } = splitShared(configs);
  const lines = [
    '# Configuration',
    '',
    `<!-- Generated from the apps' zod schemas by \`${CONFIG_DOCS_COMMAND}\`: edit the schemas, not this file. -->`,
    '',
    'Every Vigil app reads its configuration from environment variables, checks it once at start-up',
    'and stops with a message naming any variable that is wrong. Durations are whole milliseconds,',
    'in variables ending in `_MS`. An old name in the last column is still read for one release,',
    'converted, with a warning in the log naming the variable to use instead; when both are set the',
    'new one wins. `.env.example` lists the same variables with their defaults.',
    '',
    '## Shared by several apps',
    '',
    ...markdownTable(shared.variables),
  ];
  for (const app of apps) {
    lines.push('', `## ${app.app}`, '');
    if (app.variables.length === 0) lines.push('Only shared variables.');
    else lines.push(...markdownTable(app.variables));
  }
  return `${lines.join('\n')}\n`;
}

function exampleLines(variables: readonly EnvVariableDoc[]): string[] {
  return variables.flatMap((v) => {
    const notes = [
      v.required ? 'required' : '',
      v.unit ? `in ${v.unit}` : '',
      v.replaces.length ? `replaces ${v.replaces.join(', ')}` : '',
    ].filter(Boolean);
    return [
      `# ${v.description}${notes.length ? ` (${notes.join('; ')})` : ''}`,
      `# ${v.name}=${v.default ?? ''}`,
    ];
  });
}

/** .env.example: every variable, commented out at its default, grouped per app. */
export function renderEnvExample(configs: readonly EnvConfig[]): string {
  const { shared, apps } = splitShared(configs);
  const lines = [
    `# Every Vigil variable at its default (generated by \`${CONFIG_DOCS_COMMAND}\`; see docs/configuration.md).`,
    '# Uncomment and change what you need. Durations are whole milliseconds (`_MS`).',
    '',
    '# ---- shared by several apps ----',
    ...exampleLines(shared.variables),
  ];
  for (const app of apps) {
    if (app.variables.length === 0) continue;
    lines.push('', `# ---- ${app.app} ----`, ...exampleLines(app.variables));
  }
  return `${lines.join('\n')}\n`;
}

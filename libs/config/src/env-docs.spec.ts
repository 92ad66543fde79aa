import { z } from 'zod';
import { secondsAlias } from './deprecated-env-aliases';
import { envVariableDocs, renderConfigurationMarkdown, renderEnvExample } from './env-docs';
import { envDurationMs } from './env-duration';
import { envBoolean, envHostPortList } from './env-types';
import { defineEnvConfig } from './load-config';

const shared = z.object({
  BROKERS: envHostPortList('localhost:9092').describe('Kafka brokers.'),
});
const app = (name: string, fields: z.ZodRawShape) =>
  defineEnvConfig({
    app: name,
    schema: shared.extend(fields).transform((env) => ({ env })),
    aliases: [secondsAlias('FLUSH_SECONDS', 'FLUSH_MS')],
  });
const one = app('one', {
  FLUSH_MS: envDurationMs(10_000).describe('How often to flush.'),
  TOKEN: z.string().describe('Secret | token.'),
  NAME: z.string().optional().describe('A name.'),
  ON: envBoolean(false).describe('Switch.'),
});
const two = app('two', { OTHER: z.string().default('').describe('Other.') });

describe('configuration docs from the schemas', () => {
  it('gives each variable its default, unit, description and old names', () => {
    expect(envVariableDocs(one)).toEqual([
      {
        name: 'BROKERS',
        default: 'localhost:9092',
        required: false,
        unit: undefined,
        description: 'Kafka brokers.',
        replaces: [],
      },
      {
        name: 'FLUSH_MS',
        default: '10000',
        required: false,
        unit: 'ms',
        description: 'How often to flush.',
        replaces: ['FLUSH_SECONDS'],
      },
      {
        name: 'TOKEN',
        default: undefined,
        required: true,
        unit: undefined,
        description: 'Secret | token.',
        replaces: [],
      },
      {
        name: 'NAME',
        default: undefined,
        required: false,
        unit: undefined,
        description: 'A name.',
        replaces: [],
      },
      {
        name: 'ON',
        default: 'false',
        required: false,
        unit: undefined,
        description: 'Switch.',
        replaces: [],
      },
    ]);
  });

  it('refuses a variable without a description', () => {
    const bare = defineEnvConfig({ app: 'bare', schema: z.object({ X: z.string() }) });
    expect(() => envVariableDocs(bare)).toThrow('bare: X has no description');
  });

  it('writes shared variables once, then a table per app', () => {
    const markdown = renderConfigurationMarkdown([one, two]);
    expect(markdown).toContain('## Shared by several apps');
    expect(markdown.match(/`BROKERS`/g)).toHaveLength(1);
    expect(markdown).toContain(
      '| `FLUSH_MS` | `10000` | ms | How often to flush. | `FLUSH_SECONDS` |',
    );
    expect(markdown).toContain('| `TOKEN` | required |  | Secret \\| token. |  |');
    expect(markdown).toContain('| `OTHER` | (empty) |  | Other. |  |');
  });

  it('writes .env.example with every default commented out', () => {
    const example = renderEnvExample([one, two]);
    expect(example).toContain(
      '# ---- one ----\n# How often to flush. (in ms; replaces FLUSH_SECONDS)\n# FLUSH_MS=10000',
    );
    expect(example).toContain('# Secret | token. (required)\n# TOKEN=');
    expect(example.split('\n').filter((line) => line && !line.startsWith('#'))).toEqual([]);
  });
});

import type { z } from 'zod';
import {
  type ConfigWarn,
  type DeprecatedEnvAlias,
  deprecatedEnvAliases,
} from './deprecated-env-aliases';

export class ConfigError extends Error {
  constructor(
    readonly appName: string,
    readonly problems: string[],
  ) {
    super(`${appName}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Old variable names still read for one release (see deprecatedEnvAliases). */
  aliases?: readonly DeprecatedEnvAlias[];
  /** Where deprecation warnings go; default: stderr, prefixed with the app's name. */
  warn?: ConfigWarn;
}

/**
 * Validates environment variables once at start-up, so a typo fails loudly with the variable's
 * name, what it should be and what it was, instead of surfacing later as a connection timeout.
 */
export function loadConfig<S extends z.ZodType>(
  appName: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): z.output<S> {
  const aliases = options.aliases ?? [];
  const warn = options.warn ?? ((message) => process.stderr.write(`${appName}: ${message}\n`));
  const resolved = deprecatedEnvAliases(env, aliases, warn);
  const parsed = schema.safeParse(resolved);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const name = issue.path[0];
    const actual = typeof name === 'string' ? resolved[name] : undefined;
    const got = actual === undefined ? 'it is not set' : `got "${actual}"`;
    const alias = aliases.find((a) => a.replacedBy === name && env[name] === undefined);
    const from = alias && env[alias.name] !== undefined ? `, from ${alias.name}` : '';
    return `${variable}: ${issue.message} (${got}${from})`;
  });
  throw new ConfigError(appName, problems);
}

/** What an app reads from the environment: the schema that gives its settings, and old names. */
export interface EnvConfig<S extends z.ZodType = z.ZodType> {
  /** The app's name: in error messages and as its heading in docs/configuration.md. */
  app: string;
  /** Validates the variables and turns them into the app's typed settings, once. */
  schema: S;
  aliases?: readonly DeprecatedEnvAlias[];
}

/** For the type inference only. */
export function defineEnvConfig<S extends z.ZodType>(config: EnvConfig<S>): EnvConfig<S> {
  return config;
}

/** The app's settings from the environment; deprecation warnings go to `warn`. */
export function loadEnvConfig<S extends z.ZodType>(
  config: EnvConfig<S>,
  env: NodeJS.ProcessEnv = process.env,
  warn?: ConfigWarn,
): z.output<S> {
  return loadConfig(config.app, config.schema, env, { aliases: config.aliases, warn });
}

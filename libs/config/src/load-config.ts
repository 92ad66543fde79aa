import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly appName: string,
    readonly problems: string[],
  ) {
    super(`${appName}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates environment variables once at start-up, so a typo fails loudly with the variable's
 * name, what it should be and what it was, instead of surfacing later as a connection timeout.
 */
export function loadConfig<S extends z.ZodType>(
  appName: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const actual = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
    const got = actual === undefined ? 'it is not set' : `got "${actual}"`;
    return `${variable}: ${issue.message} (${got})`;
  });
  throw new ConfigError(appName, problems);
}

/** An old variable name still read for one release, converted to the variable that replaced it. */
export interface DeprecatedEnvAlias {
  /** The old name, e.g. RCA_LEAD_MINUTES. */
  name: string;
  /** The variable that replaced it, e.g. RCA_LEAD_MS. */
  replacedBy: string;
  /** The old value as the new variable's value (e.g. minutes to milliseconds). */
  convert: (value: string) => string;
}

/** Warnings go to the app's logger once it exists; the loader only collects them. */
export type ConfigWarn = (message: string) => void;

const scaled =
  (factor: number) =>
  (value: string): string => {
    const number = Number(value.trim());
    // left as it was: the new variable's validation then names it and says what is expected
    if (value.trim() === '' || !Number.isFinite(number)) return value;
    return String(Math.round(number * factor));
  };

/** An old `..._SECONDS` variable replaced by a `..._MS` one. */
export const secondsAlias = (name: string, replacedBy: string): DeprecatedEnvAlias => ({
  name,
  replacedBy,
  convert: scaled(1000),
});

/** An old `..._MINUTES` variable replaced by a `..._MS` one. */
export const minutesAlias = (name: string, replacedBy: string): DeprecatedEnvAlias => ({
  name,
  replacedBy,
  convert: scaled(60_000),
});

/**
 * The environment with each old name set turned into its new name, a warning for each: the new
 * name wins when both are set. Nothing in `env` is changed.
 */
export function deprecatedEnvAliases(
  env: NodeJS.ProcessEnv,
  aliases: readonly DeprecatedEnvAlias[],
  warn: ConfigWarn,
): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...env };
  for (const alias of aliases) {
    const old = env[alias.name];
    if (old === undefined) continue;
    if (env[alias.replacedBy] !== undefined) {
      warn(
        `${alias.name} is deprecated and ignored because ${alias.replacedBy} is also set; remove ${alias.name}`,
      );
      continue;
    }
    const value = alias.convert(old);
    result[alias.replacedBy] = value;
    warn(
      `${alias.name} is deprecated and will be removed in the next release: set ${alias.replacedBy}=${value} instead`,
    );
  }
  return result;
}

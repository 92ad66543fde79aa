/** Whether a target name matches a glob where `*` is any run of characters and nothing else is special. */
export function matchesPattern(target: string, pattern: string): boolean {
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(target);
}

export function firstMatch(target: string, patterns: readonly string[]): string | undefined {
  return patterns.find((p) => matchesPattern(target, p));
}

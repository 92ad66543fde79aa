/** Limits of the `vigil.alerts.raw.v1` contract: longer text is shortened, never refused. */
export const fieldLimits = {
  alertname: 300,
  summary: 2000,
  description: 8000,
  generatorUrl: 2000,
} as const;

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Optional text: blank becomes absent, long is cut. */
export function optionalText(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return truncateText(text, max);
}

/**
 * A cut URL is a broken link, so a URL over the limit is left out instead. Prometheus' generator
 * URLs carry the whole PromQL expression and can outgrow it.
 */
export function optionalUrl(url: string | undefined): string | undefined {
  if (!url || url.length > fieldLimits.generatorUrl) return undefined;
  return url;
}

/**
 * An RFC 3339 time (already checked by the contract) as UTC with millisecond precision, so every
 * alert on the topic has the same time format whatever the producer wrote (offsets, nanoseconds).
 */
export function toUtcIso(time: string): string {
  // Date parsing of more than three fraction digits is not in the ECMAScript spec: drop them.
  const milliseconds = time.replace(/(\.\d{3})\d+/, '$1');
  return new Date(milliseconds).toISOString();
}

/** Go's zero time.Time, which Alertmanager writes for "no end known". */
export function isGoZeroTime(time: string): boolean {
  return time.startsWith('0001-01-01T');
}

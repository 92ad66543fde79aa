import type { Alert } from '@vigil/contracts';

/** The longest title an incident event carries (libs/contracts, incident-event). */
export const MAX_TITLE_LENGTH = 500;

/**
 * An incident's title from the alert that opened it: its summary, else its summary annotation,
 * else its name and service; blank ones are skipped. An alert's summary may run to 2,000
 * characters and a title to 500: a longer one is cut at a word where it can be, with an ellipsis.
 * A title the incident contract refuses would fail every publish of its partition's batch.
 */
export function incidentTitle(alert: Alert): string {
  const chosen =
    [alert.summary, alert.annotations['summary']]
      .map((text) => text?.replace(/\s+/g, ' ').trim())
      .find((text) => text !== undefined && text.length > 0) ??
    `${alert.alertname} on ${alert.service}`;
  return fitTitle(chosen);
}

/** A title cut to what the incident contract takes: at a word where it can be, with an ellipsis. */
export function fitTitle(text: string): string {
  if (text.length <= MAX_TITLE_LENGTH) return text;
  const room = text.slice(0, MAX_TITLE_LENGTH - 1);
  const atWord = room.lastIndexOf(' ');
  return `${atWord > MAX_TITLE_LENGTH * 0.8 ? room.slice(0, atWord) : room}…`;
}

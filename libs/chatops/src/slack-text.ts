/** A Block Kit block or element; the shapes Slack accepts are wide, and tests read them as data. */
export interface Block {
  type: string;
  [field: string]: unknown;
}

// Alert and log text is untrusted: Slack's mrkdwn must not turn it into mentions or links.
export function plain(text: string): string {
  return text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] ?? c);
}

/** Section text stays under Slack's 3,000-character limit. */
export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: text.slice(0, 2900) };
}

export function section(text: string): Block {
  return { type: 'section', text: mrkdwn(text) };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

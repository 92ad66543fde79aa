// One Markdown table writer for every README section rendered from bench/results/*.json.

/** A Markdown table with its columns padded as Prettier pads them, so formatting never changes it. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((_, c) => Math.max(3, ...[header, ...rows].map((r) => r[c].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

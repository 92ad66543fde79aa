/**
 * A bench's progress: one line rewritten in place on a terminal; one line per step when stderr
 * goes to a file or a CI log, where carriage returns and erase codes would pile up as noise.
 */
export function progress(text: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${text}` : `${text}\n`);
}

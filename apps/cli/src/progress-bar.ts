/** A one-line progress bar on stderr, redrawn at most every 100 ms; silent when stderr is not a terminal. */
export function progressBar(label: string): (done: number, total: number) => void {
  let lastDraw = 0;
  const started = Date.now();
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - lastDraw < 100) return;
    lastDraw = now;
    const share = total === 0 ? 1 : done / total;
    const width = 30;
    const filled = Math.round(share * width);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${rate.toFixed(0)}/s)`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
    else if (done >= total) process.stderr.write(`${line}\n`);
  };
}

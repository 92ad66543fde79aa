import type { RcaCase } from '@vigil/rca';

/**
 * A case in the RCAEval layout, the inverse of `parseRcaEvalCase` (@vigil/rca): `data.csv` with a
 * `time` column in epoch seconds and one `<service>_<metric>` column per series (an empty cell
 * where a scrape is missing), and `inject_time.txt` with the injection in epoch seconds. Pure text;
 * `write-cases.ts` puts it on disk as `<system>/<root>_<fault>/<n>/`, RCAEval's folder naming.
 */

export function formatRcaEvalCsv(input: RcaCase): string {
  const times = [...new Set(input.series.flatMap((s) => s.times))].sort((a, b) => a - b);
  const row = new Map(times.map((t, i) => [t, i]));
  const columns = input.series.map((s) => {
    const cells = new Array<string>(times.length).fill('');
    s.times.forEach((t, i) => (cells[row.get(t) ?? 0] = String(s.values[i])));
    return { name: `${s.service}_${s.metric}`, cells };
  });
  const lines = [['time', ...columns.map((c) => c.name)].join(',')];
  times.forEach((t, i) => lines.push([seconds(t), ...columns.map((c) => c.cells[i])].join(',')));
  return lines.join('\n') + '\n';
}

export function formatInjectTime(input: RcaCase): string {
  return `${seconds(input.anomalyStart)}\n`;
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

// A ranked list (plans by provenance, the noisiest services and alerts) as horizontal SVG bars.
import { rowBars } from '../../lib/report-charts';

const WIDTH = 640;
const LABEL = 260;
const ROW = 24;

interface Props {
  title: string;
  rows: ReadonlyArray<{ label: string; value: number; note?: string }>;
  testId: string;
}

export function RowChart({ title, rows, testId }: Props) {
  const bars = rowBars(rows, WIDTH - LABEL - 90, ROW);
  return (
    <figure className="report-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {rows.length === 0 ? (
        <p className="muted">None in this period.</p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${rows.length * ROW}`} role="img" aria-label={title}>
          {bars.map((bar, i) => (
            <g key={bar.label} transform={`translate(0,${bar.y})`}>
              <text x={LABEL - 8} y={ROW * 0.5} textAnchor="end" className="label">
                {bar.label}
              </text>
              <rect
                x={LABEL}
                y={ROW * 0.1}
                width={Math.max(1, bar.width)}
                height={bar.height}
                className="bar"
              />
              <text x={LABEL + bar.width + 6} y={ROW * 0.5} className="value">
                {bar.value}
                {rows[i]?.note ? ` ${rows[i]?.note}` : ''}
              </text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}

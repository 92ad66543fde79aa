// Incidents (or alerts) per day or week, as columns drawn in SVG.
import { columnBars } from '../../lib/report-charts';

const WIDTH = 640;
const HEIGHT = 160;
const LEFT = 36;
const BOTTOM = 20;

interface Props {
  title: string;
  values: ReadonlyArray<{ label: string; value: number }>;
  testId: string;
}

export function ColumnChart({ title, values, testId }: Props) {
  const { bars, max } = columnBars(values, WIDTH - LEFT, HEIGHT - BOTTOM);
  const every = Math.max(1, Math.ceil(values.length / 8));
  return (
    <figure className="report-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
        <text x={LEFT - 6} y={10} textAnchor="end" className="axis">
          {max}
        </text>
        <text x={LEFT - 6} y={HEIGHT - BOTTOM} textAnchor="end" className="axis">
          0
        </text>
        <line x1={LEFT} x2={WIDTH} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} className="baseline" />
        <g transform={`translate(${LEFT},0)`}>
          {bars.map((bar, i) => (
            <g key={bar.label}>
              <rect x={bar.x} y={bar.y} width={bar.width} height={bar.height} className="bar">
                <title>{`${bar.label}: ${bar.value}`}</title>
              </rect>
              {i % every === 0 && (
                <text x={bar.x} y={HEIGHT - 4} className="axis">
                  {bar.label}
                </text>
              )}
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
}

// Geometry of the report charts, drawn as plain SVG. Pure (no DOM).

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max) ?? 10;
  return step * power;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
  label: string;
}

/** Vertical bars, one per value, in a `width` x `height` plot (y grows downwards, as in SVG). */
export function columnBars(
  values: ReadonlyArray<{ label: string; value: number }>,
  width: number,
  height: number,
): { bars: Bar[]; max: number } {
  const max = niceMax(Math.max(0, ...values.map((v) => v.value)));
  const slot = values.length ? width / values.length : width;
  const gap = Math.min(4, slot * 0.2);
  const bars = values.map((v, i) => {
    const h = (v.value / max) * height;
    return { x: i * slot + gap / 2, y: height - h, width: slot - gap, height: h, ...v };
  });
  return { bars, max };
}

/** Horizontal bars, longest value full width, one row each. */
export function rowBars(
  values: ReadonlyArray<{ label: string; value: number }>,
  width: number,
  rowHeight: number,
): Bar[] {
  const max = Math.max(1, ...values.map((v) => v.value));
  return values.map((v, i) => ({
    x: 0,
    y: i * rowHeight,
    width: (v.value / max) * width,
    height: rowHeight * 0.7,
    ...v,
  }));
}

/** A duration for a figure card: 45 s, 12 min, 3.5 h, 2.1 d; a dash when there is none. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

export function formatPercent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)}%`;
}

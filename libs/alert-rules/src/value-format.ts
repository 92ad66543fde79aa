import type { ValueUnit } from './alert-rule';

/** Three significant digits, whole numbers from 100 on: "0.0123", "7.25", "734". */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return String(Math.round(n));
  return String(Number(n.toPrecision(3)));
}

const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < binaryUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value)} ${binaryUnits[unit]}`;
}

/** "45s", "2m 5s", "1h 3m": how long a target has been silent, read at a glance. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return whole % 60 === 0 ? `${minutes}m` : `${minutes}m ${whole % 60}s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
}

function formatMilliseconds(ms: number): string {
  return Math.abs(ms) >= 1_000 ? `${formatNumber(ms / 1_000)} s` : `${formatNumber(ms)} ms`;
}

const formatters: Readonly<Record<ValueUnit, (value: number) => string>> = {
  ratio: (value) => `${formatNumber(value * 100)}%`,
  milliseconds: formatMilliseconds,
  seconds: formatDuration,
  delaySeconds: (value) => formatMilliseconds(value * 1_000),
  bytes: formatBytes,
  bytesPerSecond: (value) => `${formatBytes(value)}/s`,
  perSecond: (value) => `${formatNumber(value)}/s`,
  number: formatNumber,
};

export function formatValue(value: number, unit: ValueUnit = 'number'): string {
  return formatters[unit](value);
}

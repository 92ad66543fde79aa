// Text for people: times, scores, why an alert joined, key=value details. Pure (no DOM).
import type { AttachReason, AttributeMap, RemediationPlan } from './types';

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago" (or "in 5m" for the future). */
export function relativeTime(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const diff = now - at;
  const abs = Math.abs(diff);
  const sec = Math.floor(abs / 1000);
  // a little in the future is clock skew, or a clock that has not ticked yet
  if (sec < 5 || (diff < 0 && sec < 60)) return 'just now';
  let text: string;
  if (sec < 60) text = `${sec}s`;
  else if (sec < 3600) text = `${Math.floor(sec / 60)}m`;
  else if (sec < 86400) text = `${Math.floor(sec / 3600)}h`;
  else text = `${Math.floor(sec / 86400)}d`;
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time, `2025-03-01 14:05:09`. */
export function formatTimestamp(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ` +
    `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
  );
}

/** Local time of day, `14:05:09`. */
export function formatClock(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** Scores: two decimals, fewer digits once they are large. */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return String(score);
  const abs = Math.abs(score);
  if (abs >= 100) return score.toFixed(0);
  if (abs >= 10) return score.toFixed(1);
  return score.toFixed(2);
}

/** Why an alert joined its incident: a short label and the evidence behind it. */
export function describeAttachReason(reason: AttachReason): { label: string; detail: string } {
  switch (reason.kind) {
    case 'first-alert':
      return { label: 'first alert', detail: 'opened the incident' };
    case 'same-fingerprint':
      return { label: 'same fingerprint', detail: 'repeat of an alert already in the incident' };
    case 'similar-text':
      return {
        label: 'similar text',
        detail: `score ${formatScore(reason.score)}, similar to ${reason.similarTo}`,
      };
    case 'topology-neighbour':
      return {
        label: 'topology neighbour',
        detail:
          reason.hops === 0
            ? 'on a service already in the incident'
            : `${reason.hops} hop${reason.hops === 1 ? '' : 's'}` +
              (reason.via.length ? ` via ${reason.via.join(' → ')}` : ''),
      };
    case 'split-by-people':
      return { label: 'split by people', detail: `moved out of ${reason.fromIncidentId}` };
    case 'learned-from-people':
      return {
        label: 'learned from people',
        detail: `people merged ${reason.kinds.join(' and ')} before`,
      };
    default:
      return { label: 'unknown reason', detail: '' };
  }
}

function formatValue(value: AttributeMap[string]): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  return value === '' || /[\s="]/.test(value) ? JSON.stringify(value) : value;
}

/** `key=value` strings in the map's order; strings with spaces or quotes are quoted. */
export function formatAttributes(map: AttributeMap | undefined): string[] {
  if (!map) return [];
  return Object.entries(map).map(([k, v]) => `${k}=${formatValue(v)}`);
}

/** Where a plan came from: the model that drafted it, or the known-good runbook. */
export function planProvenance(plan: Pick<RemediationPlan, 'provenance'>): string {
  return plan.provenance.fallbackUsed
    ? 'known-good fallback'
    : `model ${plan.provenance.model || 'unknown'}`;
}

export function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/** "awaiting-approval" → "awaiting approval". */
export function humanize(text: string): string {
  return text.replace(/[-_]/g, ' ');
}

/** An error body from the API (`{ statusCode, message }`; Nest may send a list of messages). */
export function errorMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (typeof message === 'string' && message.trim()) return message;
    if (Array.isArray(message) && message.length) return message.map((m) => String(m)).join('; ');
  }
  return fallback;
}

/** An ISO time as a `datetime-local` input value (local time, minutes). */
export function toLocalInputValue(iso: string): string {
  const at = new Date(iso);
  if (!iso || Number.isNaN(at.getTime())) return '';
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}`
  );
}

/** A `datetime-local` input value (local time) as an ISO time; '' when empty or invalid. */
export function fromLocalInputValue(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return '';
  const at = new Date(value); // a date-time without offset is local time
  return Number.isNaN(at.getTime()) ? '' : at.toISOString();
}

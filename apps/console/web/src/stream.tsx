// One EventSource on /api/v1/stream for the whole app, shared by the pages that listen.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { api } from './api';
import type { IncidentListItem } from './lib/types';

export type StreamStatus = 'idle' | 'connecting' | 'live' | 'reconnecting';

export interface StreamHandlers {
  onIncident?: (item: IncidentListItem) => void;
  /** The stream is (again) connected: events may have been missed, so fetch afresh. */
  onReady?: () => void;
}

function isListItem(value: unknown): value is IncidentListItem {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<IncidentListItem>;
  return (
    typeof v.incidentId === 'string' &&
    typeof v.updatedAt === 'string' &&
    typeof v.title === 'string' &&
    Array.isArray(v.services)
  );
}

class IncidentStream {
  private source: EventSource | null = null;
  private readonly handlers = new Set<StreamHandlers>();
  private readonly statusListeners = new Set<() => void>();
  private status: StreamStatus = 'idle';
  private active = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = 1000;

  start(): void {
    if (this.active) return;
    this.active = true;
    this.connect(false);
  }

  stop(): void {
    this.active = false;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.setStatus('idle');
  }

  subscribe(handlers: StreamHandlers): () => void {
    this.handlers.add(handlers);
    return () => this.handlers.delete(handlers);
  }

  getStatus = (): StreamStatus => this.status;

  onStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  private setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener();
  }

  private connect(again: boolean): void {
    this.setStatus(again ? 'reconnecting' : 'connecting');
    const source = new EventSource('/api/v1/stream');
    this.source = source;
    source.addEventListener('ready', () => {
      if (this.source !== source) return;
      this.retryDelay = 1000;
      this.setStatus('live');
      for (const h of this.handlers) h.onReady?.();
    });
    source.addEventListener('incident', (event: MessageEvent<string>) => {
      if (this.source !== source) return;
      let item: unknown;
      try {
        item = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!isListItem(item)) return;
      for (const h of this.handlers) h.onIncident?.(item);
    });
    source.onerror = () => {
      if (!this.active || this.source !== source) return;
      if (source.readyState !== EventSource.CLOSED) {
        this.setStatus('reconnecting'); // the browser retries by itself
        return;
      }
      // The browser gave up (an error status, e.g. 401): check the session (a 401 there sends
      // the user to the login page and stops the stream), then try again, backing off.
      source.close();
      this.source = null;
      this.setStatus('reconnecting');
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        void api
          .me({ authRedirect: true })
          .catch(() => undefined)
          .then(() => {
            if (this.active && !this.source) this.connect(true);
          });
      }, this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
    };
  }
}

export const incidentStream = new IncidentStream();

/** Listens to the stream while the component is mounted; handlers may change every render. */
export function useIncidentStream(handlers: StreamHandlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(
    () =>
      incidentStream.subscribe({
        onIncident: (item) => latest.current.onIncident?.(item),
        onReady: () => latest.current.onReady?.(),
      }),
    [],
  );
}

export function useStreamStatus(): StreamStatus {
  return useSyncExternalStore(incidentStream.onStatus, incidentStream.getStatus);
}

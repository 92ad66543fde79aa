import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncidentNotification } from '@vigil/notification';

type LedgerLine =
  | { kind: 'sent'; key: string }
  | { kind: 'dead'; key: string; reason: string }
  | { kind: 'incident'; notification: IncidentNotification };

/**
 * What the notifier has sent (and given up on), per delivery key, and each incident's trigger (a
 * person's acknowledge carries no service or severity to route by), in memory and in an
 * append-only JSON-lines file per consumer group: a restart, or a replay of the topics, sends
 * nothing twice, and a replay tries again what went to the DLQ.
 */
export class NotificationLedger {
  private readonly done = new Set<string>();
  private readonly incidents = new Map<string, IncidentNotification>();
  private readonly file: string;

  constructor(dir: string, group: string) {
    this.file = join(dir, `notifier-${group.replace(/[^\w.-]/g, '_')}.jsonl`);
    if (existsSync(this.file)) this.load();
    else mkdirSync(dir, { recursive: true });
  }

  /** Whether `key` was delivered; one that went to the DLQ was not. */
  handled(key: string): boolean {
    return this.done.has(key);
  }

  incident(incidentId: string): IncidentNotification | undefined {
    return this.incidents.get(incidentId);
  }

  rememberIncident(notification: IncidentNotification): void {
    if (this.incidents.has(notification.incidentId)) return;
    this.append({ kind: 'incident', notification });
  }

  sent(key: string): void {
    this.append({ kind: 'sent', key });
  }

  deadLettered(key: string, reason: string): void {
    this.append({ kind: 'dead', key, reason });
  }

  private append(line: LedgerLine): void {
    this.apply(line);
    // Synchronous, so the delivery is on disk before the offset can be committed.
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }

  private apply(line: LedgerLine): void {
    if (line.kind === 'incident')
      this.incidents.set(line.notification.incidentId, line.notification);
    // a dead-lettered delivery is kept for the record only: a replay (`vigil dlq redrive`) tries it again
    else if (line.kind === 'sent') this.done.add(line.key);
  }

  private load(): void {
    for (const text of readFileSync(this.file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      try {
        this.apply(JSON.parse(text) as LedgerLine);
      } catch {
        // a line cut short by a crash: the delivery it would record is tried again
      }
    }
  }
}

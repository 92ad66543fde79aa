import { Inject, Injectable, type LoggerService, type OnApplicationShutdown } from '@nestjs/common';
import { CardSchedule, deservesCard, incidentCard, type CardWork } from '@vigil/chatops';
import {
  IncidentBoard,
  type IncidentListItem,
  type IncidentView,
  type SimilarIncident,
} from '@vigil/incident-view';
import { VIGIL_LOGGER, VIGIL_SETTINGS } from '@vigil/messaging';
import type { ChatopsSettings } from './chatops.config';
import { SimilarIncidents } from './similar-incidents';
import { SlackGateway, slackFailure } from './slack-gateway';

/** Incidents whose past incidents are kept for their next card at most; the oldest go first. */
const SIMILAR_KEPT = 1_000;
/** A card waits this long at most for its past incidents, then goes without them this time. */
const SIMILAR_WAIT_MS = 3_000;

// Slack's answers when the posted message can no longer be updated: post a new card instead.
const MESSAGE_GONE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found']);

/**
 * Keeps one Slack message per incident in step with the incident board: posted when the incident
 * opens, updated in place as it changes, at most once per cardIntervalMs (CHATOPS_CARD_INTERVAL_MS) per incident.
 * Each call renders the board as it is then, so coalesced changes are all shown. Slack failing is
 * logged and retried later; it never stops the Kafka consumer. A card shows the past incidents
 * like this one, looked up again when its root cause changes.
 */
@Injectable()
export class CardPublisher implements OnApplicationShutdown {
  private readonly schedule: CardSchedule;
  /** Past incidents by incident, with the root cause they were looked up for. */
  private readonly similar = new Map<string, { cause: string; list: SimilarIncident[] }>();
  /** Lookups under way, by incident. */
  private readonly pending = new Map<
    string,
    { cause: string; lookup: Promise<SimilarIncident[]> }
  >();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: ChatopsSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(IncidentBoard) private readonly board: IncidentBoard,
    @Inject(SlackGateway) private readonly slack: SlackGateway,
    @Inject(SimilarIncidents) private readonly past: SimilarIncidents,
  ) {
    this.schedule = new CardSchedule({ minIntervalMs: settings.cardIntervalMs });
  }

  /** The board changed this incident (or nothing listed, when undefined). */
  changed(item: IncidentListItem | undefined): void {
    if (!item || this.stopped) return;
    const now = Date.now();
    const maxAgeMs = this.settings.cardMaxAgeMs;
    if (!this.schedule.has(item.incidentId) && !deservesCard(item, now, maxAgeMs)) return;
    this.schedule.changed(item.incidentId, now);
    this.wake();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const next = this.schedule.nextDueAt();
    if (next === undefined) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, next - Date.now()));
  }

  private flush(): void {
    for (const work of this.schedule.due(Date.now())) void this.send(work);
    this.wake();
  }

  private async send(work: CardWork): Promise<void> {
    const view = this.board.get(work.incidentId);
    if (!view) {
      this.schedule.forget(work.incidentId);
      this.similar.delete(work.incidentId);
      return;
    }
    const card = incidentCard(view, await this.similarTo(view));
    try {
      if (work.kind === 'post') {
        const message = await this.slack.postCard(this.settings.slack.channel, card);
        this.schedule.succeeded(work.incidentId, Date.now(), message);
        this.logger.log(
          { msg: 'incident card posted', incidentId: work.incidentId, ...message },
          'CardPublisher',
        );
      } else {
        await this.slack.updateCard(work.message, card);
        this.schedule.succeeded(work.incidentId, Date.now());
      }
    } catch (error) {
      this.failed(work, error);
    }
    this.wake();
  }

  /**
   * The past incidents like this one, looked up once per root cause. A lookup slower than
   * SIMILAR_WAIT_MS lets the card go without them; the card is sent again once they are found.
   */
  private async similarTo(view: IncidentView): Promise<SimilarIncident[]> {
    const id = view.incidentId;
    const cause = view.rootCause?.service ?? '';
    const known = this.similar.get(id);
    if (known?.cause === cause) return known.list;
    const lookup = this.lookUp(view, cause);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), SIMILAR_WAIT_MS);
    });
    const list = await Promise.race([lookup, late]).finally(() => clearTimeout(timer));
    if (list) return list;
    void lookup.then(() => {
      if (this.stopped || !this.schedule.has(id)) return;
      this.schedule.changed(id, Date.now());
      this.wake();
    });
    return known?.list ?? [];
  }

  /** One lookup at a time per incident and root cause; its answer is kept for later cards. */
  private lookUp(view: IncidentView, cause: string): Promise<SimilarIncident[]> {
    const id = view.incidentId;
    const pending = this.pending.get(id);
    if (pending?.cause === cause) return pending.lookup;
    const lookup = this.past.of(view).then((list) => {
      if (this.pending.get(id)?.lookup === lookup) this.pending.delete(id);
      this.similar.delete(id);
      this.similar.set(id, { cause, list });
      if (this.similar.size > SIMILAR_KEPT) {
        const oldest = this.similar.keys().next().value;
        if (oldest !== undefined) this.similar.delete(oldest);
      }
      return list;
    });
    this.pending.set(id, { cause, lookup });
    return lookup;
  }

  private failed(work: CardWork, error: unknown): void {
    const { code, retryAfterMs } = slackFailure(error);
    const forgetMessage = work.kind === 'update' && code !== undefined && MESSAGE_GONE.has(code);
    const wait = this.schedule.failed(work.incidentId, Date.now(), { retryAfterMs, forgetMessage });
    this.logger.warn(
      {
        msg: `chat.${work.kind === 'post' ? 'postMessage' : 'update'} failed; the card is sent again later`,
        incidentId: work.incidentId,
        slackError: code,
        error: error instanceof Error ? error.message : String(error),
        retryInMs: wait,
      },
      'CardPublisher',
    );
  }
}

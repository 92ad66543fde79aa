import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { type HistoryPage, type HistoryRequest, historyStoreQuery } from '@vigil/chatops';
import type { IncidentStoreRepository } from '@vigil/graph';
import { VIGIL_LOGGER } from '@vigil/messaging';
import { ChatopsStore } from './chatops-store';

/** Slack wants a command answered within 3 s: the store gets most of that, the reply the rest. */
const READ_WAIT_MS = 2_500;

/**
 * `/vigil history`'s read of the incident store: the same `list` the console's history search
 * uses. A store that is down or slow gives no page (the command says so) and a warning.
 */
@Injectable()
export class HistoryReader {
  constructor(
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(ChatopsStore)
    private readonly store: { repository: Pick<IncidentStoreRepository, 'list'> },
  ) {}

  /** One page of what the request asks for; undefined when the store did not answer in time. */
  async page(request: HistoryRequest): Promise<HistoryPage | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${READ_WAIT_MS} ms`)),
        READ_WAIT_MS,
      );
    });
    try {
      return await Promise.race([this.store.repository.list(historyStoreQuery(request)), late]);
    } catch (error) {
      this.logger.warn(
        {
          msg: 'incident store unreadable: /vigil history not answered',
          error: error instanceof Error ? error.message : String(error),
        },
        'HistoryReader',
      );
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

import { Controller, HttpCode, Inject, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { AlertIngestion, type IngestReceipt } from './alert-ingestion.service';
import { BearerTokenGuard } from './bearer-token.guard';
import { IngestErrorFilter } from './ingest-error.filter';

/**
 * The HTTP receivers. 202 means Kafka has the alerts; anything else means nothing of the request
 * was accepted, so the sender can retry the whole request.
 */
@Controller('api/v1/alerts')
@UseGuards(BearerTokenGuard)
@UseFilters(IngestErrorFilter)
export class AlertReceiversController {
  constructor(@Inject(AlertIngestion) private readonly ingestion: AlertIngestion) {}

  /** Alertmanager's webhook_configs receiver (payload version 4). */
  @Post('alertmanager')
  @HttpCode(202)
  receiveAlertmanager(@Req() request: IncomingMessage): Promise<IngestReceipt> {
    return this.ingestion.receive('alertmanager', request);
  }

  /** One generic JSON alert or an array of them. */
  @Post()
  @HttpCode(202)
  receiveGeneric(@Req() request: IncomingMessage): Promise<IngestReceipt> {
    return this.ingestion.receive('generic', request);
  }
}

import { type DynamicModule, type LoggerService, Module, type Provider } from '@nestjs/common';
import { IncidentBoard } from '@vigil/incident-view';
import { vigilServiceModule } from '@vigil/messaging';
import { CardPublisher } from './card-publisher.service';
import { ChatopsStore } from './chatops-store';
import { HistoryReader } from './history-reader';
import { SimilarIncidents } from './similar-incidents';
import type { ChatopsSettings } from './chatops.config';
import { IncidentFeed } from './incident-feed.service';
import { SignedHttpReceiver } from './signed-http-receiver';
import { createSlackApp, SLACK_APP } from './slack-app';
import { SlackConnection } from './slack-connection.service';
import { SlackEventsController } from './slack-events.controller';
import { SlackGateway } from './slack-gateway';
import { SlackInteractions } from './slack-interactions.service';

@Module({})
export class ChatopsModule {
  static forRoot(settings: ChatopsSettings, logger: LoggerService): DynamicModule {
    const slack = createSlackApp(settings, logger);
    const providers: Provider[] = [
      { provide: SLACK_APP, useValue: slack.app },
      { provide: SlackGateway, useValue: slack.gateway },
      // one read model for the cards and the commands
      { provide: IncidentBoard, useValue: new IncidentBoard() },
      ChatopsStore,
      SimilarIncidents,
      HistoryReader,
      CardPublisher,
      IncidentFeed,
      SlackInteractions,
      SlackConnection,
    ];
    if (slack.receiver) providers.push({ provide: SignedHttpReceiver, useValue: slack.receiver });
    return vigilServiceModule({
      module: ChatopsModule,
      settings,
      logger,
      // In Socket Mode Slack's requests come over the socket: no public HTTP route for them.
      controllers: slack.receiver ? [SlackEventsController] : [],
      providers,
    });
  }
}

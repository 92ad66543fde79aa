import { type DynamicModule, type LoggerService, Module, type Provider } from '@nestjs/common';
import { IncidentBoard } from '@vigil/incident-view';
import { vigilServiceModule } from '@vigil/messaging';
import { CardPublisher } from './card-publisher.service';
import type { ChatopsConfig } from './chatops.config';
import { CHATOPS_CONFIG, CHATOPS_LOGGER } from './chatops.tokens';
import { IncidentFeed } from './incident-feed.service';
import { SignedHttpReceiver } from './signed-http-receiver';
import { createSlackApp, SLACK_APP } from './slack-app';
import { SlackConnection } from './slack-connection.service';
import { SlackEventsController } from './slack-events.controller';
import { SlackGateway } from './slack-gateway';
import { SlackInteractions } from './slack-interactions.service';

@Module({})
export class ChatopsModule {
  static forRoot(config: ChatopsConfig, logger: LoggerService): DynamicModule {
    const slack = createSlackApp(config, logger);
    const providers: Provider[] = [
      { provide: CHATOPS_CONFIG, useValue: config },
      { provide: CHATOPS_LOGGER, useValue: logger },
      { provide: SLACK_APP, useValue: slack.app },
      { provide: SlackGateway, useValue: slack.gateway },
      // one read model for the cards and the commands
      { provide: IncidentBoard, useValue: new IncidentBoard() },
      CardPublisher,
      IncidentFeed,
      SlackInteractions,
      SlackConnection,
    ];
    if (slack.receiver) providers.push({ provide: SignedHttpReceiver, useValue: slack.receiver });
    return vigilServiceModule({
      module: ChatopsModule,
      app: 'chatops',
      config,
      logger,
      // In Socket Mode Slack's requests come over the socket: no public HTTP route for them.
      controllers: slack.receiver ? [SlackEventsController] : [],
      providers,
    });
  }
}

import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import { AccessGuard } from './access.guard';
import { AlertPolicyFeed } from './alert-policy-feed.service';
import { AuthController } from './auth.controller';
import type { ConsoleSettings } from './console.config';
import { ConsoleAuth, OIDC_SIGN_IN } from './console-auth.service';
import { IncidentFeed } from './incident-feed.service';
import { IncidentsController } from './incidents.controller';
import { IncidentFeedbackController } from './incident-feedback.controller';
import { HistoryController } from './history.controller';
import type { OidcSignIn } from './oidc-sign-in';
import { PlansController } from './plans.controller';
import { ReportsController } from './reports.controller';
import { similarityEmbedderProvider } from './similar-incidents';
import { MaintenanceController, SilencesController } from './silences.controller';
import { StreamController } from './stream.controller';

@Module({})
export class ConsoleModule {
  static forRoot(
    settings: ConsoleSettings,
    logger: LoggerService,
    oidc: OidcSignIn | undefined,
  ): DynamicModule {
    return vigilServiceModule({
      module: ConsoleModule,
      settings,
      logger,
      imports: [GraphModule.forRoot(settings.graph)],
      controllers: [
        AuthController,
        IncidentsController,
        IncidentFeedbackController,
        HistoryController,
        ReportsController,
        PlansController,
        StreamController,
        SilencesController,
        MaintenanceController,
      ],
      providers: [
        { provide: OIDC_SIGN_IN, useValue: oidc },
        ConsoleAuth,
        AccessGuard,
        IncidentFeed,
        AlertPolicyFeed,
        similarityEmbedderProvider,
      ],
    });
  }
}

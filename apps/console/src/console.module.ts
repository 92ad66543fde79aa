import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { GraphModule, graphSettingsFromEnv } from '@vigil/graph';
import { vigilServiceModule } from '@vigil/messaging';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import type { ConsoleConfig } from './console.config';
import { CONSOLE_CONFIG, ConsoleAuth, OIDC_SIGN_IN } from './console-auth.service';
import { CONSOLE_LOGGER, IncidentFeed } from './incident-feed.service';
import { IncidentsController } from './incidents.controller';
import type { OidcSignIn } from './oidc-sign-in';
import { PlansController } from './plans.controller';
import { StreamController } from './stream.controller';

@Module({})
export class ConsoleModule {
  static forRoot(
    config: ConsoleConfig,
    logger: LoggerService,
    oidc: OidcSignIn | undefined,
  ): DynamicModule {
    return vigilServiceModule({
      module: ConsoleModule,
      app: 'console',
      config,
      logger,
      imports: [GraphModule.forRoot(graphSettingsFromEnv(config))],
      controllers: [AuthController, IncidentsController, PlansController, StreamController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: CONSOLE_LOGGER, useValue: logger },
        { provide: OIDC_SIGN_IN, useValue: oidc },
        ConsoleAuth,
        AccessGuard,
        IncidentFeed,
      ],
    });
  }
}

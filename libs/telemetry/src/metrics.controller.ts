import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from './metrics-registry';

@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }

  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** Import in every app: GET /metrics (Prometheus text format) and GET /healthz. */
@Module({ controllers: [MetricsController] })
export class TelemetryModule {}

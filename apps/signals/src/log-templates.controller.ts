import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { SignalAnalyzer, TemplateSummary } from '@vigil/rca';
import { SIGNAL_ANALYZER } from './signals.service';

/** The log templates mined per service, most frequent first: the console shows them. */
@Controller('api/v1/services')
export class LogTemplatesController {
  constructor(@Inject(SIGNAL_ANALYZER) private readonly analyzer: SignalAnalyzer) {}

  @Get(':service/log-templates')
  templates(@Param('service') service: string): { service: string; templates: TemplateSummary[] } {
    return { service, templates: this.analyzer.templates(service) };
  }
}

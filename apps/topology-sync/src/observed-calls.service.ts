import { Inject, Injectable, type LoggerService, type OnModuleInit } from '@nestjs/common';
import type { CallSpan } from '@vigil/contracts';
import { CallsWindow, observationOf, TopologyRepository, type ObservedCalls } from '@vigil/graph';
import { VIGIL_LOGGER, VIGIL_SETTINGS } from '@vigil/messaging';
import type { TopologySyncSettings } from './topology-sync.config';

/** Each CALLS edge is written at most once per spanFlushMs, whatever the span rate. */
export type ObservedCallsSettings = Pick<TopologySyncSettings, 'spanFlushMs'>;

/**
 * Turns `vigil.spans.v1` into CALLS edges: spans are summed in memory per edge and written by a
 * timer, one write per edge per window. Offsets are committed when a span is summed, so a crash
 * loses at most the last window's counts (a graceful stop writes them); a replay is never counted
 * twice, because the edge remembers the last offset it counted.
 */
@Injectable()
export class ObservedCallsService implements OnModuleInit {
  private readonly window: CallsWindow;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(TopologyRepository) private readonly topology: TopologyRepository,
    @Inject(VIGIL_SETTINGS) private readonly settings: ObservedCallsSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
  ) {
    this.window = new CallsWindow(settings.spanFlushMs);
  }

  onModuleInit(): void {
    this.schedule();
  }

  /** Writes what is left: called once the consumer has stopped, before Neo4j closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.flushing;
    await this.write(this.window.takeAll());
  }

  async record(span: CallSpan, position: { partition: number; offset: number }): Promise<void> {
    const observation = observationOf(span, position);
    if (!observation) return;
    if (!this.window.knowsFloor(observation))
      this.window.setFloor(observation, await this.topology.observedCallsFloor(observation));
    this.window.add(observation);
  }

  // New edges show up within a second; known ones wait for their window.
  private schedule(): void {
    if (this.stopped) return;
    const tickMs = Math.min(1000, this.settings.spanFlushMs);
    this.timer = setTimeout(() => {
      this.flushing = this.write(this.window.takeDue(Date.now())).finally(() => this.schedule());
    }, tickMs);
  }

  /** One edge at a time; what fails goes back to the window and is tried again a window later. */
  private async write(sums: readonly ObservedCalls[]): Promise<void> {
    const failed: ObservedCalls[] = [];
    for (const sum of sums) {
      try {
        await this.topology.addObservedCalls(sum);
      } catch (error) {
        failed.push(sum);
        this.logger.warn({
          msg: 'could not write observed calls; kept for the next flush',
          caller: sum.caller,
          callee: sum.callee,
          error: (error as Error).message,
        });
      }
    }
    this.window.putBack(failed);
  }
}

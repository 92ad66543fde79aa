import { Agent, get } from 'node:http';
import { shopService } from '@vigil/demo-shop';
import { liveInstances, type ShopAddress } from './shop-instances';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * A load spike: requests straight at one service, spread evenly over the instances that answer
 * (found again every second, so new replicas take their share), at a fixed rate for a while.
 * The load comes from outside the service: restarting it changes nothing, more replicas do.
 */
export class LoadSpike {
  readonly totals = { sent: 0, ok: 0, failed: 0 };
  /** Resolves when the spike ends (its time is up, or stop()). */
  readonly done: Promise<void>;
  private ports: number[] = [];
  private next = 0;
  private timers: NodeJS.Timeout[] = [];
  private end: () => void = () => undefined;

  constructor(
    private readonly service: string,
    private readonly rps: number,
    private readonly seconds: number,
    private readonly at: ShopAddress,
  ) {
    this.done = new Promise((resolve) => (this.end = resolve));
  }

  async start(): Promise<void> {
    await this.findInstances();
    const route = Object.keys(shopService(this.service).routes)[0] ?? '';
    const tickMs = 50;
    let owed = 0;
    this.timers = [
      setInterval(() => void this.findInstances(), 1_000),
      setInterval(() => {
        owed += (this.rps * tickMs) / 1000;
        for (; owed >= 1; owed--) this.fire(route);
      }, tickMs),
      setTimeout(() => this.stop(), this.seconds * 1000),
    ];
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.end();
  }

  private async findInstances(): Promise<void> {
    this.ports = (await liveInstances(this.service, this.at)).map((i) => i.port);
  }

  private fire(route: string): void {
    const port = this.ports[this.next++ % Math.max(1, this.ports.length)];
    this.totals.sent++;
    if (port === undefined) {
      this.totals.failed++;
      return;
    }
    const request = get(
      { host: '127.0.0.1', port, path: `/api/${route}`, timeout: 2_000, agent },
      (response) => {
        response.resume();
        const ok = (response.statusCode ?? 0) < 300;
        if (ok) this.totals.ok++;
        else this.totals.failed++;
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => this.totals.failed++);
  }
}

import { RequestWindow } from '@vigil/demo-shop';
import { ShopHttpClient } from './shop-http-client';

/** What shoppers do: mostly browse, sometimes look at a product, now and then buy. */
const MIX: ReadonlyArray<[route: string, share: number]> = [
  ['home', 0.7],
  ['product', 0.2],
  ['checkout', 0.1],
];

export function pickRoute(random: number): string {
  let acc = 0;
  for (const [route, share] of MIX) {
    acc += share;
    if (random < acc) return route;
  }
  return 'home';
}

export interface LoadReport {
  sent: number;
  ok: number;
  failed: number;
  p99Ms: number;
}

/**
 * Open-loop traffic at a fixed rate on the shop's front door: requests start on schedule whether
 * earlier ones finished or not (a slow shop does not slow its customers down), up to a cap of
 * requests in flight.
 */
export class LoadGenerator {
  private readonly client: ShopHttpClient;
  private readonly window = new RequestWindow(5_000);
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private totals = { sent: 0, ok: 0, failed: 0 };

  constructor(
    private readonly rps: number,
    portOffset: number,
    private readonly maxInFlight = 200,
  ) {
    this.client = new ShopHttpClient(portOffset);
  }

  start(): void {
    const tickMs = 50;
    let owed = 0;
    this.timer = setInterval(() => {
      owed += (this.rps * tickMs) / 1000;
      for (; owed >= 1; owed--) this.fire();
    }, tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Totals since start, and p99 of the last five seconds. */
  report(): LoadReport {
    return { ...this.totals, p99Ms: this.window.stats(Date.now()).p99Ms };
  }

  private fire(): void {
    if (this.inFlight >= this.maxInFlight) {
      this.totals.failed++;
      return;
    }
    this.inFlight++;
    this.totals.sent++;
    const started = Date.now();
    void this.client.call('frontend', pickRoute(Math.random())).then((result) => {
      this.inFlight--;
      this.window.record(Date.now(), Date.now() - started, result.ok);
      if (result.ok) this.totals.ok++;
      else this.totals.failed++;
    });
  }
}

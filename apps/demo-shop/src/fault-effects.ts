import type { Faults } from '@vigil/demo-shop';

/** The faults that act on the process itself, not on single requests: CPU and memory. */
export class FaultEffects {
  private hog?: NodeJS.Timeout;
  private leak?: NodeJS.Timeout;
  private readonly leaked: Buffer[] = [];

  apply(faults: Faults): void {
    clearInterval(this.hog);
    clearInterval(this.leak);
    this.hog = undefined;
    this.leak = undefined;
    if (faults.cpuHog > 0) {
      const busyMs = faults.cpuHog * 100;
      this.hog = setInterval(() => {
        const until = Date.now() + busyMs;
        while (Date.now() < until) {
          // spin: the event loop is what the shop's requests wait on
        }
      }, 100);
    }
    if (faults.leakMiBPerSecond > 0) {
      const bytes = Math.round(faults.leakMiBPerSecond * 1024 * 1024);
      // filled, so the pages are really resident
      this.leak = setInterval(() => this.leaked.push(Buffer.alloc(bytes, 1)), 1_000);
    }
  }
}

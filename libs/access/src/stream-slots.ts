/** Open connections per owner (a session), at most `max` each. */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** True and counted when the owner has room; false when it already holds `max`. */
  acquire(owner: string): boolean {
    const count = this.open.get(owner) ?? 0;
    if (count >= this.max) return false;
    this.open.set(owner, count + 1);
    return true;
  }

  release(owner: string): void {
    const count = (this.open.get(owner) ?? 0) - 1;
    if (count > 0) this.open.set(owner, count);
    else this.open.delete(owner);
  }

  held(owner: string): number {
    return this.open.get(owner) ?? 0;
  }
}

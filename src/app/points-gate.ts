/**
 * The in-process half of Points' per-merchant earning lock ("serialized inside a distributed lock
 * scoped to the authenticated merchant"; concurrent calls get 429). On PostgreSQL the earning
 * transaction also takes a row lock that holds across every process; on SQLite writers are
 * serialised, so this gate is what turns a concurrent request into a 429 instead of a queue.
 */
export class MerchantGate {
  private readonly busy = new Set<string>();

  /** True when the caller now holds the merchant; false when another request does. */
  tryEnter(merchantId: string): boolean {
    if (this.busy.has(merchantId)) return false;
    this.busy.add(merchantId);
    return true;
  }

  leave(merchantId: string): void {
    this.busy.delete(merchantId);
  }

  /** Runs `work` holding the merchant, or returns `busy()` at once when it is held. */
  async run<T>(merchantId: string, busy: () => T, work: () => Promise<T>): Promise<T> {
    if (!this.tryEnter(merchantId)) return busy();
    try {
      return await work();
    } finally {
      this.leave(merchantId);
    }
  }
}

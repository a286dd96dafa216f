/**
 * The counters behind `Store.counters()`: plain integers that the adapters' session wrappers
 * increment as they send each statement, so counting costs an addition, not an allocation.
 */
import type { StoreCounters } from '../app/ports/store-counters.js';

export class CounterSet {
  statements = 0;
  transactions = 0;
  commits = 0;
  rollbacks = 0;
  reads = 0;
  roundTrips = 0;

  /** A copy of the counts; `roundTrips` is null where there is no server to talk to. */
  snapshot(engine: StoreCounters['engine'], withRoundTrips: boolean): StoreCounters {
    return {
      engine,
      statements: this.statements,
      transactions: this.transactions,
      commits: this.commits,
      rollbacks: this.rollbacks,
      reads: this.reads,
      roundTrips: withRoundTrips ? this.roundTrips : null,
    };
  }
}

/** A background job as the job runner sees it. Jobs live in src/jobs and src/webhooks. */
export interface Job {
  readonly name: string;
  /** Does one bounded batch of due work; returns how many items it handled (0: nothing due). */
  step(): Promise<number>;
}

/** Where the runner and jobs report failures that do not stop them (pino's logger fits). */
export interface JobLogger {
  error(details: object, message: string): void;
  /** Work refused, not failed: e.g. a dropped report without a scope. */
  warn(details: object, message: string): void;
}

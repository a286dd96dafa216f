/** A background job as the job runner sees it. Jobs live in src/jobs and src/webhooks. */
export interface Job {
  readonly name: string;
  /** Does one bounded batch of due work; returns how many items it handled (0: nothing due). */
  step(): Promise<number>;
  /**
   * For a job whose steps start work they do not wait for (the webhook dispatcher): waits for
   * all of it to end; true when there was any.
   */
  settle?(): Promise<boolean>;
  /** For such a job: starts nothing more, and waits for what it started (shutdown). */
  stop?(): Promise<void>;
}

/** Where the runner and jobs report failures that do not stop them (pino's logger fits). */
export interface JobLogger {
  error(details: object, message: string): void;
  /** Work refused, not failed: e.g. a dropped report without a scope. */
  warn(details: object, message: string): void;
}

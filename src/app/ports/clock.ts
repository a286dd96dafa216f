/** The only source of time for use cases and jobs (docs/decisions/general.md#time). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The only source of time for use cases and jobs (decisions.md: the test clock drives all). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/**
 * A limit on everything, in one place (docs/decisions/engineering.md#limits). Checked once at
 * start-up by `assertLimits`, so a bad edit fails fast instead of misbehaving under load.
 */
export const LIMITS = {
  /** Largest request body accepted by any route, in bytes. */
  bodyBytesMax: 1_048_576,
  /** Page size of list endpoints when the client does not ask. */
  pageSizeDefault: 50,
  pageSizeMax: 500,
  /** Length of a client-supplied idempotency key. */
  idempotencyKeyLengthMax: 255,
  /** How long a stored idempotent response is kept (docs/decisions/general.md#idempotency-key). */
  idempotencyRetentionMs: 24 * 3_600_000,
  /** How long one request may hold an idempotency key before another may take it over. */
  idempotencyLeaseMs: 30_000,
  /** Rows removed per reaper batch. */
  reaperBatchSize: 1_000,
  /** Backd refund requests one locking/settlement job step takes (each in its own transaction). */
  refundRequestBatchSize: 100,
  /**
   * Length of a URL a client asks Unwind to store (webhook endpoints, Backd's order and item URLs,
   * Points' callback_url), as sent and as normalised; Points' webhook `url` keeps its own 500.
   */
  urlLengthMax: 2000,
  /** Line items of one Backd order. */
  backdItemsMax: 500,
  /** Reason texts kept on ledger rows and events. */
  reasonLengthMax: 500,
  /** Names of merchants. */
  merchantNameLengthMax: 200,
  /** Background job loop period. */
  jobIntervalMs: 1_000,
  /** Times a job may run in one `POST /admin/jobs/run` before it is reported as not drained. */
  jobRunsPerRequestMax: 10_000,
  /** Webhook endpoints one merchant may have (every event fans out to each). */
  webhookEndpointsMax: 1000,
  /** Webhook attempts in flight at once in one process (UNWIND_DELIVERY_CONCURRENCY). */
  deliveryConcurrency: 256,
  /** ... to one endpoint, per process (UNWIND_DELIVERY_ENDPOINT_CONCURRENCY). */
  deliveryEndpointConcurrency: 4,
  /** ... to one merchant's endpoints together, per process (UNWIND_DELIVERY_MERCHANT_CONCURRENCY). */
  deliveryMerchantConcurrency: 64,
  /** How long a claimed delivery stays with its worker before others may take it. */
  deliveryLeaseMs: 60_000,
  /** What a lease must exceed an attempt's longest time by (the attempt's record, a stall). */
  deliveryLeaseMarginMs: 5_000,
  /** Timeout of one webhook POST (docs/decisions/webhooks.md#timeout; UNWIND_WEBHOOK_TIMEOUT_MS). */
  webhookTimeoutMs: 10_000,
  /** Failures in a row that open an endpoint's circuit: then one probe at a time. */
  breakerFailuresToOpen: 5,
  /** The circuit's first pause, doubled by each failed probe up to the longest. */
  breakerPauseMs: 5_000,
  breakerPauseMaxMs: 10 * 60_000,
  /** Continuous failure after which an endpoint is disabled (UNWIND_WEBHOOK_DISABLE_AFTER_DAYS). */
  webhookDisableAfterDaysDefault: 5,
  /** Days delivered deliveries and their attempts are kept (UNWIND_DELIVERY_RETENTION_DAYS). */
  deliveryRetentionDaysDefault: 30,
  /** Delivered deliveries one retention step removes (each in its own short transaction). */
  deliveryReaperBatchSize: 500,
  /** Bytes of a receiver's answer kept in the attempt log. */
  responseExcerptBytes: 1024,
  /** Deliveries one `replay since` request may reset or create. */
  replayBatchMax: 10_000,
  /** Time graceful shutdown waits for in-flight requests before closing anyway. */
  shutdownGraceMs: 10_000,
  /** MPG: how long a duplicate of a running request waits for it before the 400. */
  mpgDuplicateWaitMs: 2_000,
  /** MPG: how often a waiting duplicate looks again. */
  mpgDuplicatePollMs: 20,
  /** MPG: how long one request may hold a body id before another may take it over. */
  mpgRequestLeaseMs: 30_000,
  /** MPG: default retention of body ids (UNWIND_MPG_ID_RETENTION_DAYS), in days. */
  mpgIdRetentionDaysDefault: 7,
  /** MPG: `items` of GET /v1/orders. */
  mpgPageSizeDefault: 25,
  mpgPageSizeMax: 100,
  /**
   * The deepest `page` of MPG's list (G3 countless pagination): an offset costs the rows it
   * skips, so pages stop at 1000 × `items`; the keyset `cursor` goes past it at no such cost.
   */
  mpgPageMax: 1000,
  /**
   * Requests one credential may make per window in one process (UNWIND_RATE_LIMIT_PER_MINUTE;
   * 0 disables). The default sits above what one process can serve (about 4,000 requests/s
   * measured by `npm run bench` on one credential), so it only stops a runaway client; set a
   * real figure per deployment.
   */
  rateLimitPerMinuteDefault: 300_000,
  /** Length of one rate-limit window. */
  rateLimitWindowMs: 60_000,
  /** Credentials tracked at once before expired windows are swept (bounds memory). */
  rateLimitKeysMax: 100_000,
  /**
   * Dashboard sign-ins per client address per minute, whatever the general limit says: enough
   * for a person who mistypes, too few to guess an ADMIN_TOKEN someone chose by hand.
   */
  signInAttemptsPerMinute: 20,
  /**
   * Points hosted checkout (docs/security.md "The Points hosted checkout"). Defaults of the
   * UNWIND_CHECKOUT_* settings: a code lives 5 minutes; a session sends 3 codes and takes 5 wrong
   * ones; a phone gets 5 codes and takes 10 wrong ones per window; one client address makes 60
   * code requests and code checks per window. 10 wrong codes an hour give a guesser of one phone
   * a 1 in 100,000 chance an hour.
   */
  checkoutCodeTtlSecondsDefault: 300,
  checkoutCodeSendsDefault: 3,
  checkoutCodeAttemptsDefault: 5,
  checkoutPhoneSendsDefault: 5,
  checkoutPhoneFailuresDefault: 10,
  checkoutAddressRequestsDefault: 60,
  /** The window of the per-phone and per-address checkout limits. */
  checkoutLimitWindowMs: 3_600_000,
  /** Messages the development SMS outbox keeps in memory (the oldest go first). */
  smsOutboxCapacity: 1_000,
  /** Messages one `GET /admin/points/otp` lists. */
  smsOutboxListMax: 50,
  /** Default of UNWIND_SMS_HTTP_TIMEOUT_MS: one request to the SMS gateway. */
  smsHttpTimeoutMsDefault: 5_000,
  /**
   * Failed authentications one client address may make on one face per rate-limit window
   * (UNWIND_AUTH_FAILURES_PER_MINUTE) before that face refuses the address until the window
   * ends: a person who mistypes a key a few times is never stopped, a guesser is.
   */
  authFailuresPerMinuteDefault: 30,
  /** Time a client has to send a request's headers (UNWIND_HEADERS_TIMEOUT_MS). */
  headersTimeoutMsDefault: 10_000,
  /** Time a request's body has to arrive once its headers have (UNWIND_REQUEST_TIMEOUT_MS). */
  requestTimeoutMsDefault: 30_000,
  /**
   * Time the body of a streamed upload (a settlement report, up to 2 GiB) has to arrive once its
   * headers have (UNWIND_UPLOAD_TIMEOUT_MS): 2 GiB at about 600 kB/s.
   */
  uploadTimeoutMsDefault: 3_600_000,
  /** How long an idle keep-alive connection stays open (UNWIND_KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMsDefault: 5_000,
  /** Open connections of the whole process (UNWIND_MAX_CONNECTIONS). */
  connectionsMaxDefault: 8_192,
  /** Open connections of one client address (UNWIND_MAX_CONNECTIONS_PER_ADDRESS). */
  connectionsPerAddressMaxDefault: 256,
  /**
   * How often the server looks for connections past the headers timeout (Node's default, 30 s,
   * let a header drip live up to 30 s past the timeout).
   */
  connectionsCheckIntervalMs: 1_000,
} as const;

export function assertLimits(limits: typeof LIMITS = LIMITS): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`limit ${name} must be > 0`);
  }
  if (limits.pageSizeDefault > limits.pageSizeMax) throw new Error('default page size > max');
  if (limits.idempotencyRetentionMs < 24 * 3_600_000) throw new Error('retention < 24 hours');
}

/**
 * The webhook dispatcher, a job. Each step claims only the due deliveries it can start at once,
 * fairly across merchants and endpoints and within each endpoint's and merchant's concurrency
 * (src/domain/delivery-schedule.ts), starts them, and returns without waiting for them: every
 * attempt is recorded when it ends, in its own transaction, and frees its slot for the next
 * step, so a hanging endpoint holds only its own slots and never a batch of others.
 *
 * Claims are leases in the database (SKIP LOCKED on PostgreSQL), so any number of processes may
 * run it. A claim outlives its attempt by construction: an attempt starts as soon as it is
 * claimed and ends within the request timeout (cut off here if the socket does not end it), and
 * the lease is longer than the timeout by a margin that config.ts enforces. So a delivery is sent
 * again by another node only when the node that claimed it died mid-attempt, and then with the
 * same `webhook-id`: at least once, never lost, never twice in normal operation.
 */
import crypto from 'node:crypto';
import type { AppDeps } from '../app/context.js';
import {
  type AttemptOutcome,
  type ClaimedDelivery,
  claimDeliveries,
  type DispatchPolicy,
  recordAttempt,
} from '../app/delivery-attempts.js';
import { LIMITS } from '../app/limits.js';
import type { Job, JobLogger } from '../app/ports/job.js';
import { buildWebhookRequest } from './formats.js';
import type { SendResult, WebhookSender } from './sender.js';

/** A random number in [0, 1) for retry jitter. */
const jitter = (): number => crypto.randomInt(0, 1_000_000) / 1_000_000;

export interface DispatcherSettings extends DispatchPolicy {
  /** Attempts in flight at once in this process. */
  readonly concurrency: number;
  /** The sender's timeout; an attempt still unanswered a second after it is cut off here. */
  readonly timeoutMs: number;
}

/** How long after the sender's own timeout an attempt is given up here (config.ts counts it). */
const CUT_OFF_AFTER_TIMEOUT_MS = 1_000;

const DAY_MS = 86_400_000;

/** The defaults of src/app/limits.ts, with what configuration or a test sets instead. */
export const dispatcherSettings = (
  chosen: Partial<DispatcherSettings> = {},
): DispatcherSettings => ({
  timeoutMs: LIMITS.webhookTimeoutMs,
  leaseMs: LIMITS.deliveryLeaseMs,
  concurrency: LIMITS.deliveryConcurrency,
  endpointConcurrency: LIMITS.deliveryEndpointConcurrency,
  merchantConcurrency: LIMITS.deliveryMerchantConcurrency,
  breaker: {
    failuresToOpen: LIMITS.breakerFailuresToOpen,
    pauseMs: LIMITS.breakerPauseMs,
    pauseMaxMs: LIMITS.breakerPauseMaxMs,
  },
  disableAfterMs: LIMITS.webhookDisableAfterDaysDefault * DAY_MS,
  ...chosen,
});

export interface DispatcherHooks {
  readonly log?: JobLogger;
  /**
   * Step again as soon as an attempt ends (coalesced), instead of waiting for the runner: a freed
   * slot may let a waiting delivery go. Off in tests, whose runs are explicit.
   */
  readonly stepWhenFreed?: boolean;
}

export const webhookDispatcher = (
  deps: AppDeps,
  send: WebhookSender,
  settings: DispatcherSettings,
  hooks: DispatcherHooks = {},
): Required<Job> => new Dispatcher(deps, send, settings, hooks);

/** Adds `by` to a count, forgetting keys that reach zero. */
function count(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

class Dispatcher implements Required<Job> {
  readonly name = 'webhook-dispatcher';
  readonly #byEndpoint = new Map<string, number>();
  readonly #byMerchant = new Map<string, number>();
  readonly #running = new Set<Promise<void>>();
  /** Steps run one at a time, so two never count the same free slots. */
  #stepping: Promise<unknown> = Promise.resolve();
  #soon = false;
  #stopped = false;

  constructor(
    private readonly deps: AppDeps,
    private readonly send: WebhookSender,
    private readonly settings: DispatcherSettings,
    private readonly hooks: DispatcherHooks,
  ) {}

  step(): Promise<number> {
    const run = this.#stepping.then(async () => {
      if (this.#stopped) return 0;
      const room = {
        slotsFree: this.settings.concurrency - this.#running.size,
        inFlight: { byEndpoint: this.#byEndpoint, byMerchant: this.#byMerchant },
      };
      const claimed = await claimDeliveries(this.deps, room, this.settings);
      for (const c of claimed) this.#start(c);
      return claimed.length;
    });
    this.#stepping = run.catch(() => undefined);
    return run;
  }

  async settle(): Promise<boolean> {
    if (this.#running.size === 0) return false;
    await Promise.all([...this.#running]);
    return true;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#stepping;
    while (await this.settle());
  }

  #start(c: ClaimedDelivery): void {
    const { endpointId, merchantId } = c.delivery;
    count(this.#byEndpoint, endpointId, 1);
    count(this.#byMerchant, merchantId, 1);
    const work: Promise<void> = this.#attempt(c).finally(() => {
      count(this.#byEndpoint, endpointId, -1);
      count(this.#byMerchant, merchantId, -1);
      this.#running.delete(work);
      if (this.hooks.stepWhenFreed) this.#stepSoon();
    });
    this.#running.add(work);
  }

  async #attempt(c: ClaimedDelivery): Promise<void> {
    const startedAt = this.deps.clock.now();
    const request = buildWebhookRequest(c.endpoint, c.delivery, c.event, startedAt);
    const result = await withCutOff(
      this.send(c.endpoint.url, request.headers, request.body),
      this.settings.timeoutMs + CUT_OFF_AFTER_TIMEOUT_MS,
    );
    const outcome: AttemptOutcome = { startedAt, ...result };
    try {
      await recordAttempt(this.deps, { claimed: c, outcome, jitter01: jitter() }, this.settings);
    } catch (error) {
      // Its lease runs out and another step sends it again, with the same webhook-id.
      this.hooks.log?.error(
        { err: error, deliveryId: c.delivery.id },
        'recording an attempt failed',
      );
    }
  }

  #stepSoon(): void {
    if (this.#soon || this.#stopped) return;
    this.#soon = true;
    setImmediate(() => {
      this.#soon = false;
      this.step().catch((error: unknown) =>
        this.hooks.log?.error({ err: error }, 'dispatcher step failed'),
      );
    });
  }
}

/** The send's result, or a timeout result if it has not ended `afterMs` from now. */
function withCutOff(sending: Promise<SendResult>, afterMs: number): Promise<SendResult> {
  let timer: NodeJS.Timeout | undefined;
  const cutOff = new Promise<SendResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          statusCode: null,
          error: `timed out after ${afterMs} ms`,
          responseExcerpt: null,
          durationMs: afterMs,
          stopRetries: false,
        }),
      afterMs,
    );
  });
  return Promise.race([sending, cutOff]).finally(() => clearTimeout(timer));
}

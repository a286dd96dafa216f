/**
 * The dispatcher's pure rules (src/webhooks/dispatcher.ts): which due deliveries to claim so no
 * merchant or endpoint crowds out another (`planClaims`), and each endpoint's health, the circuit
 * breaker that backs a continuously failing endpoint off as a whole and the auto-disable after a
 * long run of failures (`healthAfterAttempt`, `failingTooLong`). No clock, no I/O: times come in.
 */

/** A due delivery the store offered, oldest due first. */
export interface DueDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly merchantId: string;
}

export interface ClaimLimits {
  /** Free sending slots in this process. */
  readonly slotsFree: number;
  /** Attempts in flight at once to one endpoint. */
  readonly endpointConcurrency: number;
  /** Attempts in flight at once to one merchant's endpoints together. */
  readonly merchantConcurrency: number;
}

/** Attempts this process has in flight, by endpoint and by merchant. */
export interface InFlight {
  readonly byEndpoint: ReadonlyMap<string, number>;
  readonly byMerchant: ReadonlyMap<string, number>;
}

/**
 * The deliveries to claim, in sending order: round-robin across merchants (one delivery per
 * merchant per round, merchants in the order of their oldest due delivery), and within a merchant
 * across its endpoints, each endpoint's deliveries oldest first. An endpoint takes at most its
 * free slots (`probing` endpoints, whose circuit is half open, one in all and only when none is
 * in flight), a merchant at most its free slots, everything at most `slotsFree`.
 */
export function planClaims(
  due: readonly DueDelivery[],
  inFlight: InFlight,
  limits: ClaimLimits,
  probing: ReadonlySet<string>,
): DueDelivery[] {
  const merchants = new Map<string, Map<string, DueDelivery[]>>();
  for (const d of due) {
    const endpoints = merchants.get(d.merchantId) ?? new Map<string, DueDelivery[]>();
    merchants.set(d.merchantId, endpoints);
    endpoints.set(d.endpointId, [...(endpoints.get(d.endpointId) ?? []), d]);
  }
  const endpointRoom = (endpointId: string) =>
    (probing.has(endpointId) ? 1 : limits.endpointConcurrency) -
    (inFlight.byEndpoint.get(endpointId) ?? 0);
  const queues = [...merchants].map(([merchantId, endpoints]) => ({
    room: limits.merchantConcurrency - (inFlight.byMerchant.get(merchantId) ?? 0),
    endpoints: [...endpoints].map(([id, waiting]) => ({ room: endpointRoom(id), waiting })),
    turn: 0,
  }));
  const picked: DueDelivery[] = [];
  let progressed = true;
  while (progressed && picked.length < limits.slotsFree) {
    progressed = false;
    for (const merchant of queues) {
      if (picked.length >= limits.slotsFree || merchant.room <= 0) continue;
      const next = nextEndpoint(merchant);
      if (!next) continue;
      picked.push(next.waiting.shift()!);
      next.room -= 1;
      merchant.room -= 1;
      progressed = true;
    }
  }
  return picked;
}

interface EndpointQueue {
  room: number;
  readonly waiting: DueDelivery[];
}

/** The merchant's next endpoint in turn that has a delivery waiting and room for it. */
function nextEndpoint(merchant: {
  readonly endpoints: readonly EndpointQueue[];
  turn: number;
}): EndpointQueue | undefined {
  const count = merchant.endpoints.length;
  for (let i = 0; i < count; i++) {
    const candidate = merchant.endpoints[(merchant.turn + i) % count]!;
    if (candidate.room > 0 && candidate.waiting.length > 0) {
      merchant.turn = (merchant.turn + i + 1) % count;
      return candidate;
    }
  }
  return undefined;
}

/** An endpoint's run of failures, shared by every node through the store. */
export interface EndpointHealth {
  /** Failed attempts since the last success. */
  readonly consecutiveFailures: number;
  /** When the first of those failures started; null while healthy. */
  readonly failingSince: number | null;
  /** Until when the circuit is open: no attempt to the endpoint before then; null: closed. */
  readonly pausedUntil: number | null;
}

export const HEALTHY: EndpointHealth = {
  consecutiveFailures: 0,
  failingSince: null,
  pausedUntil: null,
};

export interface BreakerPolicy {
  /** Failures in a row that open the circuit. */
  readonly failuresToOpen: number;
  /** The first pause once open; each further failed probe doubles it. */
  readonly pauseMs: number;
  /** The longest pause. */
  readonly pauseMaxMs: number;
}

/** Whether the endpoint's circuit is open or half open: only single probes go to it. */
export const probingOnly = (health: EndpointHealth, policy: BreakerPolicy): boolean =>
  health.consecutiveFailures >= policy.failuresToOpen;

/**
 * The endpoint's health after an attempt that started at `startedAt`: a success closes the
 * circuit and forgets the failures; a failure extends the run and, from `failuresToOpen` on,
 * pauses the endpoint for a doubling pause (capped) after which one probe goes to it.
 */
export function healthAfterAttempt(
  health: EndpointHealth,
  succeeded: boolean,
  startedAt: number,
  policy: BreakerPolicy,
): EndpointHealth {
  if (succeeded) return HEALTHY;
  const consecutiveFailures = health.consecutiveFailures + 1;
  const beyond = consecutiveFailures - policy.failuresToOpen;
  const pauseMs =
    beyond < 0 ? null : Math.min(policy.pauseMaxMs, policy.pauseMs * 2 ** Math.min(beyond, 30));
  return {
    consecutiveFailures,
    failingSince: health.failingSince ?? startedAt,
    pausedUntil: pauseMs === null ? null : startedAt + pauseMs,
  };
}

/** Whether an endpoint failing since `failingSince` has failed long enough to be disabled. */
export const failingTooLong = (
  health: EndpointHealth,
  now: number,
  disableAfterMs: number,
): boolean => health.failingSince !== null && now - health.failingSince >= disableAfterMs;

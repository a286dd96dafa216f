/**
 * Rate limiting per credential: a fixed window of `perWindow` requests per `windowMs`, keyed by
 * the authenticated credential (each face's auth calls `limitCaller` right after it has
 * authenticated, so an unauthenticated flood never fills the table and one merchant's traffic
 * never throttles another's). The counters live in this process: N processes behind a balancer
 * admit up to N × the limit. The window follows the injected clock, so the test clock drives it.
 */
import type { FastifyRequest } from 'fastify';
import { LIMITS } from '../app/limits.js';
import type { Clock } from '../app/ports/clock.js';
import { admitAuthenticated } from './auth-throttle.js';
import { rateLimited } from './faces.js';

interface Window {
  startedAt: number;
  count: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly keysMax: number = LIMITS.rateLimitKeysMax,
  ) {
    if (!Number.isSafeInteger(perWindow) || perWindow <= 0)
      throw new Error('perWindow must be > 0');
    if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new Error('windowMs must be > 0');
  }

  /** Counts one request of `key`: null when admitted, else the milliseconds until it may retry. */
  take(key: string): number | null {
    const now = this.clock.now();
    const startedAt = this.windowStart(now);
    let window = this.windows.get(key);
    if (!window || window.startedAt !== startedAt) {
      if (!window && this.windows.size >= this.keysMax) this.makeRoom(startedAt);
      window = { startedAt, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.perWindow) return startedAt + this.windowMs - now;
    window.count += 1;
    return null;
  }

  /** Without counting: the milliseconds until `key` may retry when it is over, else null. */
  overFor(key: string): number | null {
    const now = this.clock.now();
    const startedAt = this.windowStart(now);
    const window = this.windows.get(key);
    if (!window || window.startedAt !== startedAt || window.count < this.perWindow) return null;
    return startedAt + this.windowMs - now;
  }

  // Windows are aligned to the clock, so every key's window ends at the same instant.
  private windowStart(now: number): number {
    return now - (now % this.windowMs);
  }

  /** How many keys have a window in memory (what the sweep bounds). */
  get size(): number {
    return this.windows.size;
  }

  /**
   * Forgets every window that has ended (a key seen again starts afresh anyway). When every
   * window is current (more keys in one window than `keysMax`, as from a client cycling through
   * addresses), the oldest key is forgotten too, so memory stays bounded; that key starts afresh.
   */
  private makeRoom(currentStartedAt: number): void {
    for (const [key, window] of this.windows) {
      if (window.startedAt !== currentStartedAt) this.windows.delete(key);
    }
    if (this.windows.size < this.keysMax) return;
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's per-credential limiter; null when UNWIND_RATE_LIMIT_PER_MINUTE is 0. */
    readonly unwindRateLimiter: RateLimiter | null;
  }
}

/**
 * Called by every face once it has authenticated a credential: refuses the request while its
 * address is over its failed authentications (src/http/auth-throttle.ts), then counts it against
 * `credentialKey` (a credential id; `admin` for the admin token) and throws the face's
 * `rate_limited` problem, with `Retry-After` in whole seconds, when over.
 */
export function limitCaller(request: FastifyRequest, credentialKey: string): void {
  admitAuthenticated(request);
  const limiter = request.server.unwindRateLimiter;
  if (limiter) takeOrRefuse(limiter, credentialKey);
}

/** Counts one request of `key` on `limiter`; over the limit, the face's 429 with Retry-After. */
export function takeOrRefuse(limiter: RateLimiter, key: string): void {
  const retryAfterMs = limiter.take(key);
  if (retryAfterMs !== null) throw rateLimited(retryAfterMs);
}

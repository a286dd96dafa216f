/**
 * Guessing secrets is throttled: failed authentications are counted per client address and face
 * in one limiter (UNWIND_AUTH_FAILURES_PER_MINUTE per rate-limit window). Once an address is
 * over on a face, that face refuses every request from it with its own 429 and `Retry-After`
 * until the window ends, a right credential included: were a right one let through, the answer
 * would tell a guesser which guess was right, and guessing would go on at full speed.
 *
 * The limit is applied where a credential has just been checked, not only when a request
 * arrives: a failure over the limit is answered 429, and a success is refused too while the
 * address is over (`admitAuthenticated`, before anything is written). So many guesses sent at
 * once (pipelined, or on many connections) learn nothing past the limit either. A request from
 * an address already over is also refused on arrival, before any credential lookup.
 *
 * What counts as a failure: an `auth_invalid` problem on any face (a wrong Points key or public
 * key, Backd key pair, MPG key, admin token, dashboard sign-in), a dashboard session cookie or
 * CSRF token that matches nothing (`countAuthFailure` in src/http/admin/session.ts), and a 404 on
 * a route whose path carries a secret (`config.secretParams`: the Backd buyer's token, the Points
 * checkout session). A missing credential is not a guess and is not counted.
 *
 * Other addresses are never refused for one address's failures; behind a proxy, the address is
 * the client's only when the proxy is trusted (src/http/client-address.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addressKey } from './client-address.js';
import { type HttpProblem, rateLimited } from './faces.js';
import type { RateLimiter } from './rate-limit.js';

export class AuthThrottle {
  constructor(
    private readonly failures: RateLimiter,
    /** The name of the face that owns a URL, or null for paths outside every face. */
    private readonly faceOf: (url: string) => string | null,
  ) {}

  private keyOf(request: FastifyRequest): string | null {
    const face = this.faceOf(request.url);
    return face === null ? null : `${face} ${addressKey(request.ip)}`;
  }

  /** Throws the face's 429 while this address is over its failures on the request's face. */
  refuseIfOver(request: FastifyRequest): void {
    const key = this.keyOf(request);
    const retryAfterMs = key === null ? null : this.failures.overFor(key);
    if (retryAfterMs !== null) throw rateLimited(retryAfterMs);
  }

  /**
   * Counts one failed authentication of this address on the request's face; returns the 429 to
   * answer instead when the address was already over.
   */
  countFailure(request: FastifyRequest): HttpProblem | null {
    const key = this.keyOf(request);
    const retryAfterMs = key === null ? null : this.failures.take(key);
    return retryAfterMs === null ? null : rateLimited(retryAfterMs);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Failed authentications per address; null when the server was built without the limit. */
    readonly unwindAuthThrottle: AuthThrottle | null;
  }
}

/**
 * Counts a failed authentication that a face answers itself (not with an `auth_invalid`
 * problem); throws the face's 429 when the address was already over.
 */
export function countAuthFailure(request: FastifyRequest): void {
  const over = request.server.unwindAuthThrottle?.countFailure(request);
  if (over) throw over;
}

/** Called once a credential has been accepted: refuses it while the address is over. */
export function admitAuthenticated(request: FastifyRequest): void {
  request.server.unwindAuthThrottle?.refuseIfOver(request);
}

/**
 * Installs the limit on `app`: every request of an address that is over on the face is refused
 * before the face authenticates it, and the failures named above are counted.
 */
export function registerAuthThrottle(app: FastifyInstance, throttle: AuthThrottle | null): void {
  app.decorate('unwindAuthThrottle', throttle);
  if (!throttle) return;
  app.addHook('onRequest', async (request) => throttle.refuseIfOver(request));
  // A route whose path is the credential answers an unknown one with 404; counted once sent
  // (a handler that already answered is not overruled).
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 404 && request.routeOptions.config.secretParams?.length) {
      throttle.countFailure(request);
    }
  });
}

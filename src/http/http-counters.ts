/**
 * Requests answered by this process since it started, in total and by status class, for
 * `GET /admin/metrics`. One hook increments two integers per answer, so it costs next to nothing.
 */
import type { FastifyInstance } from 'fastify';

export interface HttpCountsJson {
  readonly requests: number;
  readonly responses: Readonly<Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', number>>;
}

export class HttpCounters {
  #requests = 0;
  /** Answers by the first digit of their status; index 0 catches anything outside 100–599. */
  readonly #byClass = [0, 0, 0, 0, 0, 0];

  /** Counts every answer of `app`, once it has been sent. */
  register(app: FastifyInstance): void {
    app.addHook('onResponse', (_request, reply, done) => {
      this.count(reply.statusCode);
      done();
    });
  }

  count(status: number): void {
    this.#requests += 1;
    const digit = Math.floor(status / 100);
    this.#byClass[digit >= 1 && digit <= 5 ? digit : 0]! += 1;
  }

  json(): HttpCountsJson {
    const c = this.#byClass;
    return {
      requests: this.#requests,
      responses: { '1xx': c[1]!, '2xx': c[2]!, '3xx': c[3]!, '4xx': c[4]!, '5xx': c[5]! },
    };
  }
}

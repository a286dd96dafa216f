/**
 * Verifies a received delivery with `standardwebhooks`, the Standard Webhooks reference
 * implementation from npm, rather than Unwind's own verifier. The reference reads the time from
 * `Date.now()`; the suites run on a frozen test clock, so it is told the clock's time for the
 * one synchronous call (and nothing else runs meanwhile).
 */
import { mock } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { headerOf, type ReceivedRequest } from './receiver.js';

/** The parsed body, once the reference accepts the request at `nowMs`; throws otherwise. */
export function referenceVerify(secret: string, request: ReceivedRequest, nowMs: number): unknown {
  const headers = {
    'webhook-id': headerOf(request, 'webhook-id') ?? '',
    'webhook-timestamp': headerOf(request, 'webhook-timestamp') ?? '',
    'webhook-signature': headerOf(request, 'webhook-signature') ?? '',
  };
  const clock = mock.method(Date, 'now', () => nowMs);
  try {
    return new Webhook(secret).verify(request.body, headers);
  } finally {
    clock.mock.restore();
  }
}

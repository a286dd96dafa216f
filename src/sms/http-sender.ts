/**
 * The SMS gateway sender (UNWIND_SMS_SENDER=http): one JSON POST per code to
 * UNWIND_SMS_HTTP_URL with `Authorization: Bearer UNWIND_SMS_HTTP_TOKEN`, body
 * `{"to": "+9665XXXXXXXX", "text": "...", "code": "123456", "expires_at": "ISO-8601"}`. Any 2xx
 * is delivered; anything else (a redirect too: it is never followed), a timeout
 * (UNWIND_SMS_HTTP_TIMEOUT_MS) or a network error is a failure reported without the code, the
 * token or the phone. The answer's body is never read.
 */
import { internationalPhone } from '../domain/points-checkout.js';
import type { SmsMessage, SmsOutcome, SmsSender } from '../app/ports/sms.js';

export interface HttpSmsOptions {
  readonly url: string;
  readonly token: string;
  readonly timeoutMs: number;
}

/** The gateway request's body (documented in docs/dialects/points.md). */
export const gatewayBody = (m: SmsMessage) => ({
  to: internationalPhone(m.phone),
  text: m.text,
  code: m.code,
  expires_at: new Date(m.expiresAt).toISOString(),
});

export function createHttpSmsSender(options: HttpSmsOptions): SmsSender {
  return {
    async send(message: SmsMessage): Promise<SmsOutcome> {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(gatewayBody(message)),
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        return { ok: false, reason: timedOut ? 'timeout' : 'network error' };
      }
      // Only the status matters; the body is released unread.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return { ok: false, reason: `gateway answered HTTP ${response.status}` };
    },
  };
}

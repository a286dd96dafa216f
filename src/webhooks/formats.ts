/**
 * The request a delivery sends: body and headers in the endpoint's format, signed.
 *
 * - standard: `{"type", "timestamp", "data"}` where `data` is the event payload and its id.
 * - points:   the Points envelope and headers (src/webhooks/points-format.ts).
 * Both carry the Standard Webhooks headers `webhook-id` (the delivery id, stable across retries),
 * `webhook-timestamp` and `webhook-signature`.
 *
 * The body is the event: a pure function of the stored event and the endpoint's format, its
 * `timestamp` the time the event occurred, so every attempt and every replay sends the same
 * bytes. Only `webhook-timestamp` (the attempt's time) and the signature over it change.
 */
import type { EventRecord } from '../app/ports/outbox.js';
import { eventTime } from '../domain/events.js';
import {
  type Delivery,
  signingSecrets,
  type WebhookEndpoint,
  type WebhookFormat,
} from '../domain/webhooks.js';
import { POINTS_FORMAT } from './points-format.js';
import { signatureHeader } from './signing.js';

export interface WebhookRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/**
 * A format's body of an event and the headers it adds to the signed ones. Which events it
 * carries, and their names, are the format's entry of `WEBHOOK_EVENT_NAMES` (src/domain/webhooks.ts).
 */
export interface FormatRenderer {
  body(event: EventRecord): string;
  headers(endpoint: WebhookEndpoint, event: EventRecord): Record<string, string>;
}

const STANDARD_FORMAT: FormatRenderer = {
  body: (event) =>
    JSON.stringify({
      type: event.type,
      timestamp: eventTime(event.createdAt),
      data: { event_id: event.id, ...event.payload },
    }),
  headers: () => ({}),
};

/** Every format's renderer: a format is one entry here and one in `WEBHOOK_EVENT_NAMES`. */
const FORMATS: Readonly<Record<WebhookFormat, FormatRenderer>> = {
  standard: STANDARD_FORMAT,
  points: POINTS_FORMAT,
};

/** The body of `event` in `format`: the same bytes whenever and however often it is sent. */
export function webhookBody(format: WebhookFormat, event: EventRecord): string {
  return FORMATS[format].body(event);
}

/** The request of one attempt: the event's body, signed at the attempt's time `nowMs`. */
export function buildWebhookRequest(
  endpoint: WebhookEndpoint,
  delivery: Delivery,
  event: EventRecord,
  nowMs: number,
): WebhookRequest {
  const body = webhookBody(endpoint.format, event);
  const extra = FORMATS[endpoint.format].headers(endpoint, event);
  const seconds = Math.floor(nowMs / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Unwind-Webhooks/1',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(seconds),
      'webhook-signature': signatureHeader(
        signingSecrets(endpoint, nowMs),
        delivery.id,
        seconds,
        body,
      ),
      ...extra,
    },
  };
}

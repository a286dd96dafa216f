/**
 * The port the hosted checkout sends its one-time codes through. Two adapters in src/sms: the
 * development outbox (the default; operators read the codes through the admin API) and an HTTP
 * gateway for a real SMS provider (UNWIND_SMS_SENDER, docs/dialects/points.md).
 */

/** One code on its way to a customer's phone. */
export interface SmsMessage {
  /** The normalised phone, `5XXXXXXXX`. */
  readonly phone: string;
  /** The text for the customer, code included. */
  readonly text: string;
  readonly code: string;
  readonly expiresAt: number;
  /** The checkout session the code is for; kept by the outbox, never sent to a gateway. */
  readonly sessionId: string;
  readonly sentAt: number;
}

export type SmsOutcome =
  | { readonly ok: true }
  /** Why it failed, for the log; never shown to the customer and never holding the code. */
  | { readonly ok: false; readonly reason: string };

export interface SmsSender {
  send(message: SmsMessage): Promise<SmsOutcome>;
}

/** What the development outbox shows operators. */
export interface OutboxFilter {
  readonly phone?: string;
  readonly sessionId?: string;
}

export interface SmsOutbox extends SmsSender {
  /** The newest messages first, at most `limit`, matching every given filter field. */
  latest(filter: OutboxFilter, limit: number): readonly SmsMessage[];
}

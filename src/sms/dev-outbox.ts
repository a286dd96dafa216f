/**
 * The development SMS sender (UNWIND_SMS_SENDER=dev, the default): codes are not sent anywhere;
 * they wait in this process's memory, newest first, for an operator to read through
 * `GET /admin/points/otp`. Bounded: the oldest message is dropped once `capacity` are kept.
 * Nothing here logs a message. It also keeps the codes of Points' sandbox numbers at sandbox
 * merchants whatever the sender is, since those numbers have no phone behind them.
 */
import type { OutboxFilter, SmsMessage, SmsOutbox, SmsOutcome } from '../app/ports/sms.js';

export class DevSmsOutbox implements SmsOutbox {
  private readonly messages: SmsMessage[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new Error('capacity must be > 0');
  }

  async send(message: SmsMessage): Promise<SmsOutcome> {
    this.messages.unshift(message);
    if (this.messages.length > this.capacity) this.messages.pop();
    return { ok: true };
  }

  latest(filter: OutboxFilter, limit: number): readonly SmsMessage[] {
    return this.messages
      .filter(
        (m) =>
          (filter.phone === undefined || m.phone === filter.phone) &&
          (filter.sessionId === undefined || m.sessionId === filter.sessionId),
      )
      .slice(0, limit);
  }
}

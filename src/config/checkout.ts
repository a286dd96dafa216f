/** The hosted checkout: how its codes reach customers (SMS) and its verification limits. */
import { LIMITS } from '../app/limits.js';
import { integer, type Env } from './parse.js';

export type SmsConfig =
  | { readonly sender: 'dev' }
  | {
      readonly sender: 'http';
      readonly url: string;
      readonly token: string;
      readonly timeoutMs: number;
    };

export interface CheckoutConfig {
  readonly codeTtlSeconds: number;
  /** Codes one session may send. */
  readonly codeSends: number;
  /** Wrong codes one session takes; the last closes it. */
  readonly codeAttempts: number;
  /** Codes one phone is sent per hour. */
  readonly phoneSendsPerHour: number;
  /** Wrong codes one phone takes per hour. */
  readonly phoneFailuresPerHour: number;
  /** Code requests and code checks one client address makes per hour, per process. */
  readonly addressRequestsPerHour: number;
}

/** Hosts an operator's SMS relay may be reached at over plain http. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The SMS sender. The gateway's URL must be https, or http to a loopback host (a local relay):
 * the bearer token must not cross a network in clear.
 */
export function smsConfig(env: Env): SmsConfig {
  const sender = env['UNWIND_SMS_SENDER'] || 'dev';
  if (sender === 'dev') return { sender };
  if (sender !== 'http') throw new Error(`UNWIND_SMS_SENDER must be dev or http, got "${sender}"`);
  const raw = env['UNWIND_SMS_HTTP_URL'] ?? '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('UNWIND_SMS_HTTP_URL must be an absolute URL when UNWIND_SMS_SENDER=http');
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname.replace(/^\[|\]$/g, ''));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error('UNWIND_SMS_HTTP_URL must be https (or http to a loopback host)');
  }
  if (url.username || url.password) {
    throw new Error('UNWIND_SMS_HTTP_URL must not carry credentials; use UNWIND_SMS_HTTP_TOKEN');
  }
  const token = env['UNWIND_SMS_HTTP_TOKEN'] ?? '';
  if (token === '' || token.length > 4096 || /[\r\n]/.test(token)) {
    throw new Error('UNWIND_SMS_HTTP_TOKEN must be set (one line, at most 4096 characters)');
  }
  const timeoutMs = integer(
    env,
    'UNWIND_SMS_HTTP_TIMEOUT_MS',
    LIMITS.smsHttpTimeoutMsDefault,
    100,
    60_000,
  );
  return { sender, url: url.toString(), token, timeoutMs };
}

export function checkoutConfig(env: Env): CheckoutConfig {
  const count = (name: string, fallback: number, max: number) =>
    integer(env, name, fallback, 1, max);
  return {
    codeTtlSeconds: integer(
      env,
      'UNWIND_CHECKOUT_CODE_TTL_SECONDS',
      LIMITS.checkoutCodeTtlSecondsDefault,
      30,
      3_600,
    ),
    codeSends: count('UNWIND_CHECKOUT_CODE_SENDS', LIMITS.checkoutCodeSendsDefault, 20),
    codeAttempts: count('UNWIND_CHECKOUT_CODE_ATTEMPTS', LIMITS.checkoutCodeAttemptsDefault, 20),
    phoneSendsPerHour: count(
      'UNWIND_CHECKOUT_PHONE_SENDS_PER_HOUR',
      LIMITS.checkoutPhoneSendsDefault,
      1_000,
    ),
    phoneFailuresPerHour: count(
      'UNWIND_CHECKOUT_PHONE_FAILURES_PER_HOUR',
      LIMITS.checkoutPhoneFailuresDefault,
      1_000,
    ),
    addressRequestsPerHour: count(
      'UNWIND_CHECKOUT_ADDRESS_PER_HOUR',
      LIMITS.checkoutAddressRequestsDefault,
      1_000_000,
    ),
  };
}

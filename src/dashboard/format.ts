/**
 * Formatting for people: money in the order's own currency, instants in the viewer's zone (and in
 * Chicago, where Backd's refund locks are reckoned), durations for countdowns. Money goes through
 * the domain's exact `formatMinor` first, so Intl only places separators and the symbol and never
 * sees a binary fraction.
 */
import { currencyExponent } from '../domain/currencies.js';
import { formatMinor } from '../domain/money.js';
import type { Lang } from './i18n.js';

/** The locale Intl formats with: Arabic numbers with Latin digits read unambiguously in support tickets. */
export const localeOf = (lang: Lang): string => (lang === 'ar' ? 'ar-u-nu-latn' : 'en');

export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `amountMinor` may be a bigint of any size (a sum over many refunds). */
export function formatMoney(amountMinor: number | bigint, currency: string, lang: Lang): string {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return `${amountMinor} ${currency}`;
  const decimal = formatMinor(amountMinor, currency);
  const format = new Intl.NumberFormat(localeOf(lang), {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Intl formats a decimal string exactly (ECMA-402 NumberFormat v3); TypeScript's ES2022 lib
  // types only number and bigint.
  return format.format(decimal as unknown as number);
}

export function formatInstant(iso: string | null, lang: Lang, timeZone?: string): string {
  if (iso === null) return '—';
  return new Intl.DateTimeFormat(localeOf(lang), {
    dateStyle: 'medium',
    timeStyle: 'long',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(localeOf(lang)).format(value);
}

/** A rate in 0..1 as a percentage with one decimal, or the dash when unknown. */
export function formatPercent(rate: number | null, lang: Lang): string {
  if (rate === null) return '—';
  return new Intl.NumberFormat(localeOf(lang), {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(rate);
}

/** A countdown as `2d 03:04:05` (days only when there are any). Negative durations show 0. */
export function formatCountdown(ms: number, dayUnit: string): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days > 0 ? `${days}${dayUnit} ${clock}` : clock;
}

/**
 * A `datetime-local` value ("2026-11-23T10:30") read in the viewer's zone, as an ISO instant;
 * null when empty or not a valid time.
 */
export function localDateTimeToIso(value: string): string | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** A `date` value (YYYY-MM-DD) as the instant its day starts in the viewer's zone. */
export function localDayStartIso(value: string, addDays = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isFinite(day.getTime()) ? day.toISOString() : null;
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function dateInZone(ms: number, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

/** YYYY-MM-DD `days` calendar days before `date` (pure date arithmetic, no zone). */
export function minusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

/**
 * An order id as a person tells orders apart: a UUIDv7's first characters are its creation time,
 * shared by orders made together, so its last ones (random) stand for it.
 */
export const orderIdTail = (orderId: string): string => `…${orderId.slice(-12)}`;

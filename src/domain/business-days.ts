/**
 * Backd's refund lock deadline (docs/decisions/backd.md#lock-deadline), as a pure
 * function of the submission instant and an optional holiday calendar.
 *
 * The docs' three rules, in America/Chicago with daylight saving (the docs say "CST" but name the
 * IANA zone, so CDT applies in summer):
 * - submitted before 17:00 on a weekday: locks at 17:00 that same day;
 * - submitted at or after 17:00 Mon–Thu: locks at 17:00 the next weekday;
 * - submitted at or after 17:00 on Friday, or on Saturday or Sunday: locks at 17:00 the following
 *   Monday.
 * Exactly 17:00:00.000 is "at or after". All three rules are one rule over business days: before
 * 17:00 on a business day, that day; otherwise the next business day. A holiday of the merchant's
 * calendar is skipped like a weekend day, so with no holidays this is exactly the docs' rules.
 *
 * Time zone arithmetic uses Intl (Node ships full ICU) on epoch milliseconds and civil-day
 * numbers; no Date object and no clock read, so the function is pure.
 */
import { assert } from './result.js';

export const LOCK_TIME_ZONE = 'America/Chicago';
/** 17:00 local, the cut-off and the lock time of every business day. */
export const LOCK_HOUR = 17;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** No calendar has this many consecutive holidays; a longer search is a corrupt calendar. */
const BUSINESS_DAY_SEARCH_MAX = 3_660;

/** A formatter of an instant's wall-clock parts (24-hour, to the second) in `timeZone`. */
export const wallClockFormat = (timeZone: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });

const chicagoParts = wallClockFormat(LOCK_TIME_ZONE);

const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date of a day number (inverse of `daysFromCivil`). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = floorDiv(
    doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096),
    365,
  );
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export const isoWeekday = (days: number): number => ((((days + 3) % 7) + 7) % 7) + 1;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a day number, the format of holiday calendars. */
export function isoDateOfDays(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** An instant's UTC date and `HH:MM:SS`, and its milliseconds within the second. */
function utcParts(instantMs: number): { date: string; time: string; ms: number } {
  const days = floorDiv(instantMs, DAY_MS);
  const msOfDay = instantMs - days * DAY_MS;
  const h = floorDiv(msOfDay, HOUR_MS);
  const m = floorDiv(msOfDay % HOUR_MS, MINUTE_MS);
  const s = floorDiv(msOfDay % MINUTE_MS, 1000);
  return { date: isoDateOfDays(days), time: `${pad(h)}:${pad(m)}:${pad(s)}`, ms: msOfDay % 1000 };
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, Backd's timestamp format (docs/decisions/backd.md#timestamps). */
export function formatUtcSeconds(instantMs: number): string {
  const { date, time } = utcParts(instantMs);
  return `${date} ${time}`;
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, ISO 8601 in UTC to the millisecond (as `Date#toISOString`). */
export function formatIsoUtc(instantMs: number): string {
  const { date, time, ms } = utcParts(instantMs);
  return `${date}T${time}.${pad(ms, 3)}Z`;
}

/**
 * The wall clock `format` (a `wallClockFormat`) shows at an instant, as milliseconds on a
 * timeline where that wall time is UTC, to the whole second.
 */
export function wallClockMs(format: Intl.DateTimeFormat, instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(floorDiv(instantMs, 1000) * 1000)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return (
    daysFromCivil(parts['year']!, parts['month']!, parts['day']!) * DAY_MS +
    parts['hour']! * HOUR_MS +
    parts['minute']! * MINUTE_MS +
    parts['second']! * 1000
  );
}

/** Offset of Chicago's wall clock from UTC at an instant, in milliseconds (−6 h or −5 h today). */
function chicagoOffsetMs(instantMs: number): number {
  // Intl shows whole seconds; offsets are whole seconds too, so compare at the second.
  return wallClockMs(chicagoParts, instantMs) - floorDiv(instantMs, 1000) * 1000;
}

/** The Chicago wall-clock day number and time of day (ms) of an instant. */
export function chicagoWallClock(instantMs: number): { days: number; msOfDay: number } {
  const wallMs = instantMs + chicagoOffsetMs(instantMs);
  const days = floorDiv(wallMs, DAY_MS);
  return { days, msOfDay: wallMs - days * DAY_MS };
}

/**
 * The instant at which Chicago's wall clock shows `msOfDay` on day `days`. Only for times that
 * exist exactly once (17:00 always does: the changes happen at 02:00).
 */
export function chicagoInstant(days: number, msOfDay: number): number {
  const wallMs = days * DAY_MS + msOfDay;
  let instantMs = wallMs - chicagoOffsetMs(wallMs);
  // A second pass corrects a guess that landed on the other side of an offset change.
  instantMs = wallMs - chicagoOffsetMs(instantMs);
  assert(chicagoOffsetMs(instantMs) === wallMs - instantMs, 'wall time does not exist in Chicago');
  return instantMs;
}

/** A Chicago day a refund request can lock on: a weekday that is not one of `holidays`. */
export function isBusinessDay(days: number, holidays: ReadonlySet<string>): boolean {
  return isoWeekday(days) <= 5 && !holidays.has(isoDateOfDays(days));
}

/**
 * When a refund request submitted at `submittedAtMs` locks: 17:00 America/Chicago of that day if
 * it is a business day and the request came before 17:00, otherwise of the next business day.
 * `holidays` are `YYYY-MM-DD` dates of Chicago days skipped like weekends (entries that are not
 * dates never match). Returns epoch milliseconds. Errors: none.
 */
export function lockDeadline(submittedAtMs: number, holidays: readonly string[] = []): number {
  assert(Number.isSafeInteger(submittedAtMs), 'submission instant must be integer milliseconds');
  const skipped = new Set(holidays);
  const cutoffMs = LOCK_HOUR * HOUR_MS;
  const local = chicagoWallClock(submittedAtMs);
  let day = local.days;
  if (!(isBusinessDay(day, skipped) && local.msOfDay < cutoffMs)) {
    let searched = 0;
    do {
      day += 1;
      searched += 1;
      assert(searched <= BUSINESS_DAY_SEARCH_MAX, 'holiday calendar leaves no business day');
    } while (!isBusinessDay(day, skipped));
  }
  return chicagoInstant(day, cutoffMs);
}

/**
 * A request is locked from its deadline on, inclusive (`now >= locked_at`:
 * docs/decisions/backd.md#lock-deadline).
 */
export const isLockedAt = (lockedAtMs: number, nowMs: number): boolean => nowMs >= lockedAtMs;

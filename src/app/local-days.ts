/**
 * Calendar days of an IANA time zone as ranges of instants, for per-day charts. A local day is
 * not always 24 hours: across a daylight-saving change it has 23 or 25, and in zones that change
 * at midnight (America/Santiago) the day begins at 01:00. The zone rules come from the ICU data
 * built into Node (Intl), so they are as current as the Node release.
 */
import {
  daysFromCivil,
  isoDateOfDays,
  wallClockFormat,
  wallClockMs,
} from '../domain/business-days.js';
import type { DayRange } from './ports/reads.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** No zone is further than 14 hours from UTC; a day's start lies within this of its UTC midnight. */
const ZONE_OFFSET_MAX_MS = 15 * HOUR_MS;

export interface LocalDay extends DayRange {
  /** YYYY-MM-DD */
  readonly date: string;
}

/** The zone's canonical name (`utc` → `UTC`), or null when Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
  // Intl also takes offsets such as "+03:00" in newer engines; only zone names are asked for.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Days since 1970-01-01 of a valid YYYY-MM-DD date, or null when it is not a calendar date. */
export function epochDay(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const days = daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
  // 2026-02-30 counts on into March; a real date reads back as itself.
  return isoDateOfDays(days) === date ? days : null;
}

/**
 * The local days `fromDay`..`toDay` (epoch days, inclusive) of `timeZone` (canonical), each as
 * the half-open range from its first instant to the next day's first instant.
 */
export function localDays(timeZone: string, fromDay: number, toDay: number): LocalDay[] {
  const format = wallClockFormat(timeZone);
  const wallClock = (instantMs: number): number => wallClockMs(format, instantMs);
  const offsetAt = (instantMs: number) =>
    wallClock(instantMs) - Math.floor(instantMs / 1000) * 1000;

  /** The first instant whose local date is `day` or later. */
  const startOf = (day: number): number => {
    const midnight = day * DAY_MS;
    // Local midnight under each offset in force around it; the earliest one that really is
    // midnight there (a repeated midnight counts from its first occurrence).
    const exact = [midnight - DAY_MS, midnight, midnight + DAY_MS]
      .map((probe) => midnight - offsetAt(probe))
      .filter((instant) => wallClock(instant) === midnight);
    if (exact.length > 0) return Math.min(...exact);
    // Midnight was skipped (the clocks jumped from 23:59:59 to 01:00): the day begins at the
    // jump. Local dates only move forward around it, so search for the first instant of `day`.
    let low = midnight - ZONE_OFFSET_MAX_MS;
    let high = midnight + ZONE_OFFSET_MAX_MS;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (wallClock(mid) >= midnight) high = mid;
      else low = mid;
    }
    return high;
  };

  const days: LocalDay[] = [];
  let fromAt = startOf(fromDay);
  for (let day = fromDay; day <= toDay; day++) {
    const toAt = startOf(day + 1);
    days.push({ date: isoDateOfDays(day), fromAt, toAt });
    fromAt = toAt;
  }
  return days;
}

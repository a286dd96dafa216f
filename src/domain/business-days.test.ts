// Proves Backd's lock deadline: the worked table of docs/decisions/backd.md#lock-deadline, one
// millisecond either side of 17:00 on every weekday, weekends, the daylight-saving weeks of 2026
// and 2027 and a Monday holiday, plus fast-check properties that characterise the rule
// independently (the result is the first business-day 17:00 in Chicago strictly after the
// submission).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatIsoUtc, formatUtcSeconds, isLockedAt, lockDeadline } from './business-days.js';

const ms = (iso: string): number => {
  const t = Date.parse(iso);
  assert.ok(!Number.isNaN(t), `bad test instant ${iso}`);
  return t;
};
const utc = (t: number): string => new Date(t).toISOString();

const chicago = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Chicago',
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  timeZoneName: 'short',
});
/** "Mon 2026-03-09 17:00:00.000 CDT": how a Chicago wall clock shows an instant. */
function local(t: number): string {
  const p = Object.fromEntries(chicago.formatToParts(t).map((x) => [x.type, x.value]));
  return `${p['weekday']} ${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']}.${p['fractionalSecond']} ${p['timeZoneName']}`;
}

describe('lockDeadline: the table of docs/decisions/backd.md#lock-deadline', () => {
  // [submitted (America/Chicago), locked_at local, locked_at UTC], as the docs' table lists them.
  const table: readonly (readonly [string, string, string])[] = [
    ['2026-03-04T16:59:59-06:00', 'Wed 2026-03-04 17:00:00.000 CST', '2026-03-04T23:00:00.000Z'],
    ['2026-03-04T17:00:00-06:00', 'Thu 2026-03-05 17:00:00.000 CST', '2026-03-05T23:00:00.000Z'],
    ['2026-04-16T17:30:00-05:00', 'Fri 2026-04-17 17:00:00.000 CDT', '2026-04-17T22:00:00.000Z'],
    ['2026-03-06T18:00:00-06:00', 'Mon 2026-03-09 17:00:00.000 CDT', '2026-03-09T22:00:00.000Z'],
    ['2026-03-07T09:00:00-06:00', 'Mon 2026-03-09 17:00:00.000 CDT', '2026-03-09T22:00:00.000Z'],
    ['2026-03-08T23:00:00-05:00', 'Mon 2026-03-09 17:00:00.000 CDT', '2026-03-09T22:00:00.000Z'],
    ['2026-04-17T17:00:00-05:00', 'Mon 2026-04-20 17:00:00.000 CDT', '2026-04-20T22:00:00.000Z'],
  ];
  for (const [submitted, lockedLocal, lockedUtc] of table) {
    it(`${local(ms(submitted))} locks at ${lockedLocal}`, () => {
      const lockedAt = lockDeadline(ms(submitted));
      assert.equal(utc(lockedAt), lockedUtc);
      assert.equal(local(lockedAt), lockedLocal);
    });
  }
});

describe('lockDeadline: one millisecond around 17:00 on every weekday', () => {
  // Two weeks: one on standard time (17:00 = 23:00Z), one on daylight time (17:00 = 22:00Z).
  const weeks = [
    { monday: '2026-01-12', utcHour: 23, nextMonday: '2026-01-19' },
    { monday: '2026-04-13', utcHour: 22, nextMonday: '2026-04-20' },
  ];
  for (const week of weeks) {
    for (let offset = 0; offset < 5; offset++) {
      const day = ms(`${week.monday}T00:00:00Z`) + offset * 86_400_000;
      const cutoff = day + week.utcHour * 3_600_000;
      const sameDay = cutoff;
      const nextLock =
        offset < 4
          ? cutoff + 86_400_000
          : ms(`${week.nextMonday}T00:00:00Z`) + week.utcHour * 3_600_000;
      it(`${local(cutoff)}: -1 ms same day, exactly and +1 ms the next weekday`, () => {
        assert.equal(utc(lockDeadline(cutoff - 1)), utc(sameDay), local(cutoff - 1));
        assert.equal(utc(lockDeadline(cutoff)), utc(nextLock), local(cutoff));
        assert.equal(utc(lockDeadline(cutoff + 1)), utc(nextLock), local(cutoff + 1));
      });
    }
  }
});

describe('lockDeadline: evenings, weekends and daylight-saving changes', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    // [what, submitted, locked_at UTC]
    ['Friday evening', '2026-05-15T21:30:00-05:00', '2026-05-18T22:00:00.000Z'],
    ['Friday 16:59:59.999', '2026-05-15T16:59:59.999-05:00', '2026-05-15T22:00:00.000Z'],
    ['Saturday 00:00', '2026-05-16T00:00:00-05:00', '2026-05-18T22:00:00.000Z'],
    ['Saturday 17:00', '2026-05-16T17:00:00-05:00', '2026-05-18T22:00:00.000Z'],
    ['Sunday 08:00', '2026-05-17T08:00:00-05:00', '2026-05-18T22:00:00.000Z'],
    ['Sunday 23:59:59.999', '2026-05-17T23:59:59.999-05:00', '2026-05-18T22:00:00.000Z'],
    ['Monday 00:00 after a weekend', '2026-05-18T00:00:00-05:00', '2026-05-18T22:00:00.000Z'],
    // Spring 2026 (Sunday 2026-03-08): CST Friday, CDT Monday.
    ['Fri before 2026-03-08, morning', '2026-03-06T10:00:00-06:00', '2026-03-06T23:00:00.000Z'],
    ['Fri before 2026-03-08, 17:00', '2026-03-06T17:00:00-06:00', '2026-03-09T22:00:00.000Z'],
    ['Sun 2026-03-08 03:30 CDT', '2026-03-08T03:30:00-05:00', '2026-03-09T22:00:00.000Z'],
    ['Mon after 2026-03-08, morning', '2026-03-09T08:00:00-05:00', '2026-03-09T22:00:00.000Z'],
    ['Mon after 2026-03-08, 17:00', '2026-03-09T17:00:00-05:00', '2026-03-10T22:00:00.000Z'],
    // Autumn 2026 (Sunday 2026-11-01): CDT Friday, CST Monday.
    [
      'Fri before 2026-11-01, 16:59:59.999',
      '2026-10-30T16:59:59.999-05:00',
      '2026-10-30T22:00:00.000Z',
    ],
    ['Fri before 2026-11-01, 17:00', '2026-10-30T17:00:00-05:00', '2026-11-02T23:00:00.000Z'],
    ['Sun 2026-11-01 01:30 CDT (first)', '2026-11-01T01:30:00-05:00', '2026-11-02T23:00:00.000Z'],
    ['Sun 2026-11-01 01:30 CST (second)', '2026-11-01T01:30:00-06:00', '2026-11-02T23:00:00.000Z'],
    ['Mon after 2026-11-01, morning', '2026-11-02T09:00:00-06:00', '2026-11-02T23:00:00.000Z'],
    ['Mon after 2026-11-01, 17:00', '2026-11-02T17:00:00-06:00', '2026-11-03T23:00:00.000Z'],
    // Spring 2027 (Sunday 2027-03-14).
    ['Fri before 2027-03-14, morning', '2027-03-12T11:00:00-06:00', '2027-03-12T23:00:00.000Z'],
    ['Fri before 2027-03-14, 18:00', '2027-03-12T18:00:00-06:00', '2027-03-15T22:00:00.000Z'],
    ['Mon after 2027-03-14, noon', '2027-03-15T12:00:00-05:00', '2027-03-15T22:00:00.000Z'],
    ['Mon after 2027-03-14, 17:00', '2027-03-15T17:00:00-05:00', '2027-03-16T22:00:00.000Z'],
    // Autumn 2027 (Sunday 2027-11-07).
    ['Fri before 2027-11-07, morning', '2027-11-05T09:00:00-05:00', '2027-11-05T22:00:00.000Z'],
    ['Fri before 2027-11-07, 17:30', '2027-11-05T17:30:00-05:00', '2027-11-08T23:00:00.000Z'],
    ['Mon after 2027-11-07, 16:00', '2027-11-08T16:00:00-06:00', '2027-11-08T23:00:00.000Z'],
    ['Mon after 2027-11-07, 17:00', '2027-11-08T17:00:00-06:00', '2027-11-09T23:00:00.000Z'],
  ];
  for (const [what, submitted, lockedUtc] of cases) {
    it(`${what}: ${local(ms(submitted))}`, () => {
      const lockedAt = lockDeadline(ms(submitted));
      assert.equal(utc(lockedAt), lockedUtc);
      assert.match(local(lockedAt), /^(Mon|Tue|Wed|Thu|Fri) .* 17:00:00\.000 C[SD]T$/);
    });
  }
});

describe('lockDeadline: the holiday calendar', () => {
  const memorialDay = ['2026-05-25']; // a Monday
  it('Friday evening before a Monday holiday locks on Tuesday', () => {
    const lockedAt = lockDeadline(ms('2026-05-22T18:00:00-05:00'), memorialDay);
    assert.equal(local(lockedAt), 'Tue 2026-05-26 17:00:00.000 CDT');
  });
  it('the weekend before a Monday holiday locks on Tuesday', () => {
    assert.equal(
      utc(lockDeadline(ms('2026-05-23T12:00:00-05:00'), memorialDay)),
      '2026-05-26T22:00:00.000Z',
    );
    assert.equal(
      utc(lockDeadline(ms('2026-05-24T12:00:00-05:00'), memorialDay)),
      '2026-05-26T22:00:00.000Z',
    );
  });
  it('a submission on the holiday itself, before 17:00, locks on the next business day', () => {
    assert.equal(
      utc(lockDeadline(ms('2026-05-25T09:00:00-05:00'), memorialDay)),
      '2026-05-26T22:00:00.000Z',
    );
  });
  it('Friday before 17:00 still locks that Friday', () => {
    assert.equal(
      utc(lockDeadline(ms('2026-05-22T16:00:00-05:00'), memorialDay)),
      '2026-05-22T22:00:00.000Z',
    );
  });
  it('without the calendar the same Friday evening locks on the holiday Monday', () => {
    assert.equal(utc(lockDeadline(ms('2026-05-22T18:00:00-05:00'))), '2026-05-25T22:00:00.000Z');
  });
  it('New Year: Thursday 31 December evening skips Friday 1 January to Monday', () => {
    const lockedAt = lockDeadline(ms('2026-12-31T17:30:00-06:00'), ['2027-01-01']);
    assert.equal(local(lockedAt), 'Mon 2027-01-04 17:00:00.000 CST');
  });
  it('consecutive holidays are all skipped, and entries that are not dates never match', () => {
    const lockedAt = lockDeadline(ms('2026-12-23T18:00:00-06:00'), [
      '2026-12-24',
      '2026-12-25',
      'xmas',
    ]);
    assert.equal(local(lockedAt), 'Mon 2026-12-28 17:00:00.000 CST');
  });
});

describe('lockDeadline: properties', () => {
  // Instants from 2000 to 2100, dense around the daylight-saving weeks through the generic range.
  const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
  const holidays = fc.uniqueArray(
    fc
      .integer({ min: 0, max: 40 })
      .map((d) => new Date(Date.UTC(2026, 2, 1) + d * 86_400_000).toISOString().slice(0, 10)),
    { maxLength: 10 },
  );
  const nearCalendar = fc.integer({ min: Date.UTC(2026, 1, 20), max: Date.UTC(2026, 3, 20) });
  const localDate = (t: number) => {
    const p = Object.fromEntries(chicago.formatToParts(t).map((x) => [x.type, x.value]));
    return {
      date: `${p['year']}-${p['month']}-${p['day']}`,
      weekday: p['weekday']!,
      time: `${p['hour']}:${p['minute']}:${p['second']}.${p['fractionalSecond']}`,
    };
  };
  const businessDay = (t: number, hs: readonly string[]) => {
    const l = localDate(t);
    return !['Sat', 'Sun'].includes(l.weekday) && !hs.includes(l.date);
  };

  it('locks at 17:00:00.000 Chicago time on a business day, strictly after the submission', () => {
    fc.assert(
      fc.property(fc.oneof(instant, nearCalendar), holidays, (submitted, hs) => {
        const lockedAt = lockDeadline(submitted, hs);
        assert.equal(localDate(lockedAt).time, '17:00:00.000');
        assert.ok(businessDay(lockedAt, hs));
        assert.ok(lockedAt > submitted);
        assert.ok(isLockedAt(lockedAt, lockedAt) && !isLockedAt(lockedAt, lockedAt - 1));
      }),
      { numRuns: 3000 },
    );
  });

  it('is the first such deadline: no business-day 17:00 lies in [submission, locked_at)', () => {
    fc.assert(
      fc.property(fc.oneof(instant, nearCalendar), holidays, (submitted, hs) => {
        const lockedAt = lockDeadline(submitted, hs);
        // Every hour between them, looked at on the wall clock, is not a business-day 17:00.
        for (let t = lockedAt - 3_600_000; t >= submitted; t -= 3_600_000) {
          const l = localDate(t);
          assert.ok(!(l.time === '17:00:00.000' && businessDay(t, hs)), `${local(t)} was earlier`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic and stable: a later submission never locks earlier, and the deadline of a deadline is the next one', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 * 86_400_000 }), (a, gap) => {
        assert.ok(lockDeadline(a) <= lockDeadline(a + gap));
        const first = lockDeadline(a);
        assert.ok(lockDeadline(first) > first);
        assert.equal(lockDeadline(first - 1), first);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatUtcSeconds', () => {
  it('formats as YYYY-MM-DD HH:MM:SS in UTC, dropping milliseconds', () => {
    assert.equal(formatUtcSeconds(ms('2026-03-09T22:00:00.999Z')), '2026-03-09 22:00:00');
    assert.equal(formatUtcSeconds(ms('1999-12-31T23:59:59Z')), '1999-12-31 23:59:59');
    assert.equal(formatUtcSeconds(0), '1970-01-01 00:00:00');
  });
  it('agrees with Date for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), (t) => {
        assert.equal(formatUtcSeconds(t), new Date(t).toISOString().slice(0, 19).replace('T', ' '));
      }),
    );
  });
});

describe('formatIsoUtc', () => {
  it('formats as ISO 8601 in UTC with milliseconds and Z', () => {
    assert.equal(formatIsoUtc(0), '1970-01-01T00:00:00.000Z');
    assert.equal(formatIsoUtc(ms('2028-02-29T23:59:59.999Z')), '2028-02-29T23:59:59.999Z');
    assert.equal(formatIsoUtc(ms('2028-02-29T23:59:59.999Z') + 1), '2028-03-01T00:00:00.000Z');
  });
  it('agrees with Date#toISOString for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), (t) => {
        assert.equal(formatIsoUtc(t), new Date(t).toISOString());
      }),
    );
  });
});

// Proves local days as instant ranges: 23- and 25-hour days across daylight-saving changes,
// a day whose midnight is skipped, contiguous ranges, strict dates and zone names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalTimeZone, epochDay, localDays } from './local-days.js';

const days = (tz: string, from: string, to: string) =>
  localDays(tz, epochDay(from)!, epochDay(to)!).map((d) => ({
    date: d.date,
    from: new Date(d.fromAt).toISOString(),
    hours: (d.toAt - d.fromAt) / 3_600_000,
  }));

describe('localDays', () => {
  it('UTC days are the UTC calendar days', () => {
    assert.deepEqual(days('UTC', '2026-12-31', '2027-01-01'), [
      { date: '2026-12-31', from: '2026-12-31T00:00:00.000Z', hours: 24 },
      { date: '2027-01-01', from: '2027-01-01T00:00:00.000Z', hours: 24 },
    ]);
  });

  it('America/Chicago: 23 hours on the spring change, 25 on the autumn one', () => {
    assert.deepEqual(days('America/Chicago', '2026-03-07', '2026-03-09'), [
      { date: '2026-03-07', from: '2026-03-07T06:00:00.000Z', hours: 24 },
      { date: '2026-03-08', from: '2026-03-08T06:00:00.000Z', hours: 23 },
      { date: '2026-03-09', from: '2026-03-09T05:00:00.000Z', hours: 24 },
    ]);
    assert.deepEqual(days('America/Chicago', '2026-11-01', '2026-11-02'), [
      { date: '2026-11-01', from: '2026-11-01T05:00:00.000Z', hours: 25 },
      { date: '2026-11-02', from: '2026-11-02T06:00:00.000Z', hours: 24 },
    ]);
  });

  it('America/Santiago skips midnight: that day begins at the jump, 01:00 local', () => {
    assert.deepEqual(days('America/Santiago', '2026-09-05', '2026-09-07'), [
      { date: '2026-09-05', from: '2026-09-05T04:00:00.000Z', hours: 24 },
      { date: '2026-09-06', from: '2026-09-06T04:00:00.000Z', hours: 23 },
      { date: '2026-09-07', from: '2026-09-07T03:00:00.000Z', hours: 24 },
    ]);
  });

  it('a zone east of UTC starts its day the evening before in UTC', () => {
    assert.deepEqual(days('Asia/Riyadh', '2026-01-01', '2026-01-01'), [
      { date: '2026-01-01', from: '2025-12-31T21:00:00.000Z', hours: 24 },
    ]);
  });

  it('a year of days is contiguous: each ends where the next begins', () => {
    const year = localDays('Europe/Berlin', epochDay('2026-01-01')!, epochDay('2026-12-31')!);
    assert.equal(year.length, 365);
    for (let i = 1; i < year.length; i++) assert.equal(year[i]!.fromAt, year[i - 1]!.toAt);
    const hours = year.map((d) => (d.toAt - d.fromAt) / 3_600_000);
    assert.deepEqual(
      hours.filter((h) => h !== 24),
      [23, 25],
    );
  });
});

describe('epochDay and canonicalTimeZone', () => {
  it('epochDay reads real calendar dates only', () => {
    assert.equal(epochDay('1970-01-01'), 0);
    assert.equal(epochDay('2024-02-29'), 19_782);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-1', 'x']) {
      assert.equal(epochDay(bad), null, bad);
    }
  });

  it('canonicalTimeZone takes IANA names only', () => {
    assert.equal(canonicalTimeZone('UTC'), 'UTC');
    assert.equal(canonicalTimeZone('america/chicago'), 'America/Chicago');
    for (const bad of ['Mars/Olympus', '+03:00', 'UTC+3', '', '../etc', 'America/ Chicago']) {
      assert.equal(canonicalTimeZone(bad), null, bad);
    }
  });
});

// Proves how the benchmark reads its sources, on fixed inputs: wrk's result line (percentiles in
// microseconds become milliseconds, requests/s counts only 2xx answers, the first non-2xx answer
// is kept), /proc/<pid>/stat (utime and stime found after a command name holding spaces and
// parentheses), the ratio of each path to the ceilings at its own number of connections, and the
// Backd test-clock instant (a Monday morning in Chicago, before the 17:00 lock deadline).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProcStatCpuMs } from '../../bench/cpu.js';
import type { Measurement } from '../../bench/measure.js';
import { mondayMorningAfter } from '../../bench/settlement.js';
import { addRatios } from '../../bench/suite.js';
import { parseWrkOutput } from '../../bench/wrk.js';

describe('bench readings', () => {
  it("reads wrk's result line", () => {
    const r = parseWrkOutput(
      'Running 10s test @ http://127.0.0.1:1\n' +
        'WRK requests=10000 duration_us=10000000 bad=100 connect=1 read=2 write=0 timeout=3 ' +
        'p50_us=1500 p90_us=4000 p99_us=19990 p999_us=30000 max_us=45678 mean_us=2000\n' +
        'WRK_BAD 409 {"error":"conflict"}\n',
    );
    assert.deepEqual(r, {
      requests: 10000,
      bad: 100,
      socketErrors: 6,
      seconds: 10,
      perSecond: 990,
      p50Ms: 1.5,
      p90Ms: 4,
      p99Ms: 19.99,
      p999Ms: 30,
      maxMs: 45.68,
      firstBad: '409 {"error":"conflict"}',
    });
    assert.equal(
      parseWrkOutput(
        'WRK requests=1 duration_us=1000000 bad=0 connect=0 read=0 write=0 timeout=0 p50_us=1 ' +
          'p90_us=1 p99_us=1 p999_us=1 max_us=1 mean_us=1',
      ).firstBad,
      null,
    );
  });

  it('refuses output without a complete result line', () => {
    assert.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1'), /no result line/);
    assert.throws(() => parseWrkOutput('WRK requests=5 duration_us=1'), /no bad/);
  });

  it('reads utime and stime after the last parenthesis of /proc/<pid>/stat', () => {
    const stat =
      '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 99 1 1';
    assert.equal(parseProcStatCpuMs(stat, 100), 3250);
    assert.equal(parseProcStatCpuMs(stat, 1000), 325);
    assert.throws(() => parseProcStatCpuMs('4242 (node) S 1', 100), /unreadable/);
  });

  it('divides each path by the ceilings at its own number of connections', () => {
    const m = (key: string, connections: number | null, perSecond: number) =>
      ({ key, connections, perSecond, ratios: {} }) as unknown as Measurement;
    const ceilings = [m('pgbench', 50, 4000), m('driver', 50, 2000), m('pgbench', 8, 1000)];
    const paths = [m('admin', 50, 1000), m('admin', 8, 250), m('backd-settle', null, 100)];
    addRatios(paths, ceilings);
    assert.deepEqual(
      paths.map((p) => p.ratios),
      [{ pgbench: 0.25, driver: 0.5 }, { pgbench: 0.25 }, {}],
    );
  });

  it('sets the Backd clock to a Monday morning in Chicago, one to nine days on', () => {
    for (let day = 0; day < 14; day++) {
      for (const hour of [0, 12, 23]) {
        const now = Date.UTC(2026, 2, 1 + day, hour, 59);
        const at = new Date(mondayMorningAfter(now));
        assert.equal(at.getUTCDay(), 1, at.toISOString());
        assert.equal(at.getUTCHours(), 16);
        assert.ok(at.getTime() > now + 86_400_000 && at.getTime() < now + 9 * 86_400_000);
        // 16:00 UTC is 10:00 (CST) or 11:00 (CDT) in Chicago: before the 17:00 deadline.
        const chicago = new Intl.DateTimeFormat('en-US', {
          timeZone: 'America/Chicago',
          hour: 'numeric',
          hourCycle: 'h23',
        }).format(at);
        assert.ok(['10', '11'].includes(chicago), chicago);
      }
    }
  });
});

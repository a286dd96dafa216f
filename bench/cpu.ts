/**
 * CPU time of a process, from /proc/<pid>/stat (utime + stime, in clock ticks): read before and
 * after a load, the difference over the requests served is the server's CPU per request.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticks: number | undefined;

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/**
 * utime + stime in milliseconds from the text of /proc/<pid>/stat. The command name (field 2)
 * may hold spaces and parentheses, so fields are counted from the last ')': state is field 3,
 * utime field 14 and stime field 15.
 */
export function parseProcStatCpuMs(stat: string, ticksPerSecond: number): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`unreadable /proc stat: ${stat.slice(0, 200)}`);
  }
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** CPU milliseconds the process has used so far; null where /proc does not exist. */
export function processCpuMs(pid: number): number | null {
  try {
    return parseProcStatCpuMs(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'), clockTicksPerSecond());
  } catch {
    return null;
  }
}

/** CPU milliseconds of this process (the driver-only ceilings run in it). */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Reading configuration variables: the optional JSON file of defaults, integers and flags. */
import fs from 'node:fs';
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export function fileDefaults(env: Env, cwd: string): Env {
  const file = env['UNWIND_CONFIG'] ?? path.join(cwd, 'unwind.config.json');
  if (!fs.existsSync(file)) {
    if (env['UNWIND_CONFIG']) throw new Error(`UNWIND_CONFIG: ${file} does not exist`);
    return {};
  }
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected a JSON object of configuration variables`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

export function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Decimal digits only: Number() alone would also read "0x10", "1e3" and " 5 " as integers.
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

export function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 1 or 0, got "${raw}"`);
}

/** A duration in milliseconds from 100 ms to `max`. */
export const milliseconds = (env: Env, name: string, fallback: number, max: number) =>
  integer(env, name, fallback, 100, max);

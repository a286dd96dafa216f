/**
 * Operators' passwords, hashed with scrypt (RFC 7914; Node's crypto.scrypt, memory-hard) at the
 * parameters OWASP's password storage guidance gives for scrypt: N = 2^17, r = 8, p = 1, i.e.
 * 128 MiB and a few hundred milliseconds per hash, a 16-byte random salt and a 32-byte key. The
 * parameters are stored in each hash (`scrypt$N$r$p$salt$key`, base64url), so raising them later
 * leaves old hashes verifiable. Comparison is constant-time (crypto.timingSafeEqual).
 *
 * Each hash takes 128 MiB, so at most PASSWORD_HASHES_AT_ONCE run at once and the rest queue: a
 * burst of sign-ins (already limited per address) cannot take the process's memory.
 */
import crypto from 'node:crypto';

export const SCRYPT_PARAMETERS = { N: 2 ** 17, r: 8, p: 1, keyLength: 32, saltBytes: 16 } as const;
export const PASSWORD_HASHES_AT_ONCE = 2;
/** Bounds on a password: long enough to matter, short enough that hashing stays bounded. */
export const PASSWORD_LENGTH_MIN = 12;
export const PASSWORD_LENGTH_MAX = 256;

let running = 0;
const waiting: (() => void)[] = [];

async function scrypt(
  password: string,
  salt: Buffer,
  p: { N: number; r: number; p: number; keyLength: number },
): Promise<Buffer> {
  if (running >= PASSWORD_HASHES_AT_ONCE) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      crypto.scrypt(
        password.normalize('NFC'),
        salt,
        p.keyLength,
        { N: p.N, r: p.r, p: p.p, maxmem: 2 * 128 * p.N * p.r },
        (error, key) => (error ? reject(error) : resolve(key)),
      ),
    );
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltBytes } = SCRYPT_PARAMETERS;
  const salt = crypto.randomBytes(saltBytes);
  const key = await scrypt(password, salt, { N, r, p, keyLength });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A stored hash that no password matches: unknown names are checked against it, same cost. */
let decoy: Promise<string> | null = null;
const decoyHash = () => (decoy ??= hashPassword(crypto.randomBytes(32).toString('base64url')));

/**
 * Whether `password` matches `stored`. With `stored` null (no such operator, or an invite not
 * yet taken) the same work is done against a decoy, so the timing does not tell names apart.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? (await decoyHash())).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scrypt(password, Buffer.from(parts[4]!, 'base64url'), {
    N,
    r,
    p,
    keyLength: expected.length,
  });
  return crypto.timingSafeEqual(key, expected) && stored !== null;
}

/**
 * Expected failures are values (docs/decisions/engineering.md#expected-failures): a use case
 * returns `Result`, and only a bug throws.
 */
export type Result<T, E> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({
  ok: false,
  error,
});

/** Guards what only a bug can break. A failed assertion becomes a logged 500, never a wrong answer. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailure(message);
}

export class AssertionFailure extends Error {
  override readonly name = 'AssertionFailure';
}

/** Exhaustiveness check for `switch` over a union: the typecheck fails when a member is missing. */
export function unreachable(value: never): never {
  throw new AssertionFailure(`unreachable: ${JSON.stringify(value)}`);
}

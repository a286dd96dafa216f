/** Request parsing with zod at the edge: one place turns schema failures into field issues. */
import { z } from 'zod';
import { type FieldIssue, HttpProblem } from './faces.js';

export type ZodIssue = z.ZodError['issues'][number];

/**
 * A face's own wording of one schema issue (`path` is its dotted path); null keeps the default,
 * the issue's own message at its path.
 */
export type IssueMapper = (issue: ZodIssue, path: string) => readonly FieldIssue[] | null;

export function issuesOf(error: z.ZodError, mapIssue?: IssueMapper): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    return mapIssue?.(issue, path) ?? [{ path, message: issue.message }];
  });
}

/** Parses `input` or throws a validation problem listing every failing field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  mapIssue?: IssueMapper,
): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpProblem('validation_failed', issuesOf(parsed.error, mapIssue));
  return parsed.data;
}

/**
 * An integer in a query string: decimal digits only, then `number`'s own rules (bounds). Plain
 * `Number()` (what `z.coerce.number()` runs) would also take "0x10", "1e2", " 5", "+5" and, worst,
 * "" as 0; a query parameter is untrusted text and gets no such latitude.
 */
export const queryInteger = <T extends z.ZodType<number, number>>(
  number: T,
  message = 'Expected a whole number in decimal digits.',
) =>
  z
    .string()
    .regex(/^\d{1,16}$/, message)
    .transform(Number)
    .pipe(number);

/** Request parsing with zod at the edge: one place turns schema failures into field issues. */
import type { z } from 'zod';
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

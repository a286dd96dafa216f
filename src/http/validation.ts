/** Request parsing with zod at the edge: one place turns schema failures into field issues. */
import type { z } from 'zod';
import { type FieldIssue, HttpProblem } from './faces.js';

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Parses `input` or throws a validation problem listing every failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpProblem('validation_failed', issuesOf(parsed.error));
  return parsed.data;
}

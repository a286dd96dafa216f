/**
 * Request validation the way the Laravel backend behind Points does it: every failing field gets
 * Laravel's own message ("The total price field is required."), keyed by its dot path
 * (`products.0.quantity`), and unknown fields are ignored. Amounts are SAR decimals given as
 * numbers or numeric strings ("10.00"), parsed exactly into halalas; more than two decimal places
 * is an error, never a rounding, and so is an amount above `BOUNDS.amountMinorMax`.
 */
import { z } from 'zod';
import { POINTS_CURRENCY } from '../../../../app/points-orders.js';
import { amountMaxMajor, BOUNDS } from '../../../../domain/bounds.js';
import { parseDecimalMinor } from '../../../../domain/money.js';
import { normaliseHttpUrl } from '../../../../domain/urls.js';
import type { FieldIssue } from '../../../faces.js';

export type FieldSpec =
  | { readonly type: 'string'; readonly max?: number; readonly min?: number }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'url'; readonly max: number }
  | {
      readonly type: 'money';
      /** Laravel `min:0`: the amount may be 0. */
      readonly min?: 0;
      /** Laravel `gt:0`: the amount must be above 0. */
      readonly gt?: 0;
    }
  | { readonly type: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly type: 'object'; readonly fields?: Readonly<Record<string, Field>> }
  | {
      readonly type: 'array';
      readonly min?: number;
      readonly max?: number;
      readonly items: Readonly<Record<string, Field>>;
    };

export type Field = FieldSpec & { readonly required?: boolean; readonly nullable?: boolean };

/** Laravel's display name of a field: its last named segment, underscores as spaces. */
export function attributeName(path: string): string {
  const named = path.split('.').filter((s) => !/^\d+$/.test(s));
  return (named.at(-1) ?? path).replace(/_/g, ' ');
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** Validates `input` against `fields`; returns the cleaned values (amounts in minor units). */
export function validate(
  input: unknown,
  fields: Readonly<Record<string, Field>>,
): { values: Record<string, unknown>; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const body = isObject(input) ? input : {};
  const values = validateObject(body, fields, '', issues);
  return { values, issues };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateObject(
  body: Record<string, unknown>,
  fields: Readonly<Record<string, Field>>,
  prefix: string,
  issues: FieldIssue[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const value = validateField(body[name], field, path, issues);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

const isBlank = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0);

/** Where a field's check reports: its path, Laravel's name for it, and the issues so far. */
interface Check {
  readonly path: string;
  readonly attr: string;
  readonly issues: FieldIssue[];
  /** Records `message` for the field; the field keeps no value. */
  readonly fail: (message: string) => undefined;
}

type Spec<T extends FieldSpec['type']> = Extract<FieldSpec, { readonly type: T }>;

function validateField(raw: unknown, field: Field, path: string, issues: FieldIssue[]): unknown {
  const attr = attributeName(path);
  const check: Check = {
    path,
    attr,
    issues,
    fail: (message) => {
      issues.push({ path, message });
      return undefined;
    },
  };
  if (isBlank(raw)) {
    if (field.required) return check.fail(`The ${attr} field is required.`);
    if (raw === null && field.nullable) return null;
    // Laravel treats an empty string as null (ConvertEmptyStringsToNull).
    if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
      return raw === undefined ? undefined : null;
    }
    if (raw === null) return null;
  }
  switch (field.type) {
    case 'string':
      return checkString(raw, field, check);
    case 'enum':
      if (typeof raw !== 'string' || !field.values.includes(raw)) {
        return check.fail(`The selected ${attr} is invalid.`);
      }
      return raw;
    case 'url':
      return checkUrl(raw, field, check);
    case 'money':
      return checkMoney(raw, field, check);
    case 'integer':
      return checkInteger(raw, field, check);
    case 'object':
      // Laravel calls a JSON object an array in its messages.
      if (!isObject(raw)) return check.fail(`The ${attr} must be an array.`);
      if (!field.fields) return raw;
      return validateObject(raw, field.fields, path, issues);
    case 'array':
      return checkArray(raw, field, check);
  }
}

function checkString(raw: unknown, field: Spec<'string'>, { attr, fail }: Check): unknown {
  if (typeof raw !== 'string') return fail(`The ${attr} must be a string.`);
  if (field.max !== undefined && [...raw].length > field.max) {
    return fail(`The ${attr} must not be greater than ${field.max} characters.`);
  }
  if (field.min !== undefined && [...raw].length < field.min) {
    return fail(`The ${attr} must be at least ${field.min} characters.`);
  }
  return raw;
}

/** The one URL rule (src/domain/urls.ts): the value kept is the normalised URL. */
function checkUrl(raw: unknown, field: Spec<'url'>, { attr, fail }: Check): unknown {
  if (typeof raw !== 'string') return fail(`The ${attr} must be a string.`);
  const url = normaliseHttpUrl(raw, field.max);
  if (url.ok) return url.value;
  if (url.error === 'too_long') {
    return fail(`The ${attr} must not be greater than ${field.max} characters.`);
  }
  return fail(`The ${attr} must be a valid URL.`);
}

function checkMoney(raw: unknown, field: Spec<'money'>, { attr, fail }: Check): unknown {
  const text = typeof raw === 'number' ? raw : typeof raw === 'string' ? raw.trim() : null;
  if (text === null || (typeof text === 'string' && !PLAIN_NUMBER.test(text))) {
    return fail(`The ${attr} must be a number.`);
  }
  const tooBig = `The ${attr} must not be greater than ${amountMaxMajor(POINTS_CURRENCY)}.`;
  const parsed = parseDecimalMinor(text, POINTS_CURRENCY);
  if (!parsed.ok) {
    if (parsed.error === 'too_many_decimals') {
      return fail(`The ${attr} must not have more than 2 decimal places.`);
    }
    if (parsed.error === 'out_of_range') return fail(tooBig);
    return fail(`The ${attr} must be a number.`);
  }
  if (field.gt === 0 && parsed.value <= 0) return fail(`The ${attr} must be greater than 0.`);
  if (field.min === 0 && parsed.value < 0) return fail(`The ${attr} must be at least 0.`);
  if (parsed.value > BOUNDS.amountMinorMax) return fail(tooBig);
  return parsed.value;
}

function checkInteger(raw: unknown, field: Spec<'integer'>, { attr, fail }: Check): unknown {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
        ? Number(raw)
        : NaN;
  if (!Number.isSafeInteger(n)) return fail(`The ${attr} must be an integer.`);
  if (field.min !== undefined && field.max !== undefined && (n < field.min || n > field.max)) {
    return fail(`The ${attr} must be between ${field.min} and ${field.max}.`);
  }
  if (field.min !== undefined && n < field.min) {
    return fail(`The ${attr} must be at least ${field.min}.`);
  }
  if (field.max !== undefined && n > field.max) {
    return fail(`The ${attr} must not be greater than ${field.max}.`);
  }
  return n;
}

function checkArray(raw: unknown, field: Spec<'array'>, check: Check): unknown {
  const { attr, fail } = check;
  if (!Array.isArray(raw)) return fail(`The ${attr} must be an array.`);
  if (field.min !== undefined && raw.length < field.min) {
    return fail(`The ${attr} must have at least ${field.min} items.`);
  }
  if (field.max !== undefined && raw.length > field.max) {
    return fail(`The ${attr} must not have more than ${field.max} items.`);
  }
  return raw.map((item, index) =>
    validateObject(isObject(item) ? item : {}, field.items, `${check.path}.${index}`, check.issues),
  );
}

/**
 * The OpenAPI description of a rule set, derived from the same specs the validator runs, so the
 * document cannot drift from the validation. Amounts are numbers or numeric strings.
 */
export function zodOf(fields: Readonly<Record<string, Field>>): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(fields)) {
    let schema = zodOfField(field);
    if (field.nullable) schema = schema.nullable();
    if (!field.required) schema = schema.optional();
    shape[name] = schema;
  }
  return z.object(shape);
}

function zodOfField(field: Field): z.ZodType {
  switch (field.type) {
    case 'string':
      return field.max !== undefined ? z.string().max(field.max) : z.string();
    case 'enum':
      return z.enum(field.values as [string, ...string[]]);
    case 'url':
      return z.url();
    case 'money': {
      const max = Number(amountMaxMajor(POINTS_CURRENCY));
      return z.union([
        (field.gt === 0 ? z.number().gt(0) : z.number().min(0)).max(max),
        z.string().regex(/^\d+(\.\d{1,2})?$/),
      ]);
    }
    case 'integer': {
      let n = z.number().int();
      if (field.min !== undefined) n = n.min(field.min);
      if (field.max !== undefined) n = n.max(field.max);
      return n;
    }
    case 'object':
      return field.fields ? zodOf(field.fields) : z.record(z.string(), z.unknown());
    case 'array':
      return z.array(zodOf(field.items)).min(field.min ?? 0);
  }
}

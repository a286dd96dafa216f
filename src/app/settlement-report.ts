/**
 * Reads a settlement report as a stream (issue 7): CSV with the fixed header
 * `order_reference,transaction_reference,type,amount,currency,settled_at`, or JSON lines with the
 * same keys. Memory stays bounded whatever the report's size: the input is split into lines as it
 * arrives, one line at a time is held (at most `REPORT_LINE_MAX_CHARS`), and every row is handed
 * on at once. A row that cannot be read is yielded as an error with its line number (line 1 is
 * the CSV header), never dropped; only an unusable header ends the report (`fatal`).
 */
import { StringDecoder } from 'node:string_decoder';
import { amountMaxMajor, BOUNDS } from '../domain/bounds.js';
import { parseDecimalMinor } from '../domain/money.js';
import type { ReportRow } from '../domain/reconciliation.js';

export type ReportFormat = 'csv' | 'ndjson';

export const REPORT_COLUMNS = [
  'order_reference',
  'transaction_reference',
  'type',
  'amount',
  'currency',
  'settled_at',
] as const;

/** Longer lines are reported as malformed and skipped without being held in memory. */
export const REPORT_LINE_MAX_CHARS = 4096;
const REFERENCE_MAX_CHARS = 200;

/** Why a line is not a row, for machines; the item's message says it for people. */
export type ReportLineProblem =
  | 'no_header'
  | 'bad_header'
  | 'line_too_long'
  | 'bad_csv_quoting'
  | 'wrong_field_count'
  | 'not_json'
  | 'not_an_object'
  | 'unknown_key'
  | 'missing_key'
  | 'bad_order_reference'
  | 'bad_transaction_reference'
  | 'bad_type'
  | 'bad_currency'
  | 'amount_not_decimal'
  | 'amount_too_many_decimals'
  | 'amount_out_of_range'
  | 'amount_not_positive'
  | 'bad_settled_at';

export type ReportItem =
  | { readonly ok: true; readonly row: ReportRow }
  | {
      readonly ok: false;
      readonly line: number;
      readonly problem: ReportLineProblem;
      readonly message: string;
      readonly fatal: boolean;
    };

/** ISO 8601 with a date, a time and an offset (`Z` or ±hh:mm); no local times. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO 8601 and a real calendar date and time (Date.parse alone rolls 30 February over). */
function isRealInstant(text: string): boolean {
  if (!ISO_INSTANT.test(text)) return false;
  const [year, month, day, hour, minute, second] = [0, 5, 8, 11, 14, 17].map((at) =>
    Number(text.slice(at, at + (at === 0 ? 4 : 2))),
  ) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const seconds = text[16] === ':' ? second : 0;
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    seconds <= 59
  );
}

/** Epoch milliseconds of an ISO 8601 instant with an offset and a real date and time, else null. */
export function parseInstant(text: string): number | null {
  const at = isRealInstant(text) ? Date.parse(text) : NaN;
  return Number.isFinite(at) ? at : null;
}

/** Lines of a byte or text stream, numbered from 1; over-long lines come back as `null`. */
async function* lines(
  input: AsyncIterable<Buffer | string>,
): AsyncGenerator<{ readonly line: number; readonly text: string | null }> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let overlong = false;
  let line = 0;
  const take = (chunk: string) => {
    const out: { line: number; text: string | null }[] = [];
    let start = 0;
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, i);
      start = i + 1;
      line++;
      const text = overlong || partial.length + piece.length > REPORT_LINE_MAX_CHARS;
      out.push({ line, text: text ? null : (partial + piece).replace(/\r$/, '') });
      partial = '';
      overlong = false;
    }
    const rest = chunk.slice(start);
    if (overlong || partial.length + rest.length > REPORT_LINE_MAX_CHARS) {
      overlong = true;
      partial = '';
    } else {
      partial += rest;
    }
    return out;
  };
  for await (const chunk of input) {
    yield* take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  }
  const tail = decoder.end();
  yield* take(tail);
  if (overlong || partial !== '') {
    line++;
    yield { line, text: overlong ? null : partial.replace(/\r$/, '') };
  }
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside a field). */
function csvFields(text: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) return null; // unterminated quote
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== ',') return null; // text after a closing quote
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const value = comma === -1 ? text.slice(i) : text.slice(i, comma);
      if (value.includes('"')) return null;
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}

/** A line that is not a row; the rows after it are still read. */
const badLine =
  (line: number) =>
  (problem: ReportLineProblem, message: string): ReportItem => ({
    ok: false,
    line,
    problem,
    message,
    fatal: false,
  });

type Fields = Readonly<Record<(typeof REPORT_COLUMNS)[number], unknown>>;

/** No order holds more than the amount bound, so no settlement row may either (docs/security.md). */
const overBound = (currency: string) =>
  `amount must be greater than zero and at most ${amountMaxMajor(currency)} ${currency}`;

/** Checks one row's values; the message names the first problem found. */
export function readReportRow(line: number, f: Fields): ReportItem {
  const bad = badLine(line);
  const text = (name: keyof Fields): string | null =>
    typeof f[name] === 'string' ? (f[name] as string) : null;
  const orderReference = text('order_reference');
  if (!orderReference || orderReference.length > REFERENCE_MAX_CHARS) {
    return bad(
      'bad_order_reference',
      `order_reference must be 1 to ${REFERENCE_MAX_CHARS} characters`,
    );
  }
  const transactionReference = text('transaction_reference');
  if (!transactionReference || transactionReference.length > REFERENCE_MAX_CHARS) {
    return bad(
      'bad_transaction_reference',
      `transaction_reference must be 1 to ${REFERENCE_MAX_CHARS} characters`,
    );
  }
  const type = text('type');
  if (type !== 'payment' && type !== 'refund') {
    return bad('bad_type', 'type must be payment or refund');
  }
  const currency = text('currency');
  if (!currency || !/^[A-Z]{3}$/.test(currency)) {
    return bad('bad_currency', 'currency must be an ISO 4217 code');
  }
  const rawAmount = f.amount;
  if (typeof rawAmount !== 'string' && typeof rawAmount !== 'number') {
    return bad('amount_not_decimal', 'amount must be a decimal');
  }
  const amount = parseDecimalMinor(rawAmount, currency);
  if (!amount.ok) {
    // The currency is known here: parseDecimalMinor checks it first.
    if (amount.error === 'out_of_range') return bad('amount_out_of_range', overBound(currency));
    const why = {
      unknown_currency: ['bad_currency', 'currency must be an ISO 4217 code'],
      not_a_number: ['amount_not_decimal', 'amount must be a plain decimal'],
      too_many_decimals: [
        'amount_too_many_decimals',
        `amount has more decimal places than ${currency} allows`,
      ],
    } as const;
    const [problem, message] = why[amount.error];
    return bad(problem, message);
  }
  if (amount.value <= 0) return bad('amount_not_positive', 'amount must be greater than zero');
  if (amount.value > BOUNDS.amountMinorMax) return bad('amount_out_of_range', overBound(currency));
  const settled = text('settled_at');
  const settledAt = settled ? parseInstant(settled) : null;
  if (settledAt === null) return bad('bad_settled_at', 'settled_at must be an ISO 8601 date-time');
  return {
    ok: true,
    row: {
      line,
      orderReference,
      transactionReference,
      type,
      amountMinor: amount.value,
      currency,
      settledAt,
    },
  };
}

function csvRow(line: number, text: string): ReportItem {
  const bad = badLine(line);
  const fields = csvFields(text);
  if (!fields) return bad('bad_csv_quoting', 'malformed CSV quoting');
  if (fields.length !== REPORT_COLUMNS.length) {
    return bad(
      'wrong_field_count',
      `expected ${REPORT_COLUMNS.length} fields, got ${fields.length}`,
    );
  }
  const [order_reference, transaction_reference, type, amount, currency, settled_at] = fields;
  return readReportRow(line, {
    order_reference,
    transaction_reference,
    type,
    amount,
    currency,
    settled_at,
  });
}

function jsonRow(line: number, text: string): ReportItem {
  const bad = badLine(line);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('not_json', 'not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad('not_an_object', 'expected a JSON object');
  }
  const keys = Object.keys(value);
  const unknown = keys.find((k) => !(REPORT_COLUMNS as readonly string[]).includes(k));
  if (unknown !== undefined)
    return bad('unknown_key', `unknown key ${JSON.stringify(unknown).slice(0, 64)}`);
  const missing = REPORT_COLUMNS.find((k) => !keys.includes(k));
  if (missing !== undefined) return bad('missing_key', `missing key ${missing}`);
  return readReportRow(line, value as Fields);
}

/**
 * The report's rows in order. Blank lines are not rows and are passed over; every other line
 * yields a row or an error.
 */
export async function* readSettlementReport(
  input: AsyncIterable<Buffer | string>,
  format: ReportFormat,
): AsyncGenerator<ReportItem> {
  let headerSeen = format === 'ndjson';
  for await (const { line, text } of lines(input)) {
    if (!headerSeen) {
      const header = text?.replace(/^\uFEFF/, '');
      if (header !== REPORT_COLUMNS.join(',')) {
        yield {
          ok: false,
          line,
          problem: 'bad_header',
          message: `the first line must be the header ${REPORT_COLUMNS.join(',')}`,
          fatal: true,
        };
        return;
      }
      headerSeen = true;
      continue;
    }
    if (text === null) {
      yield badLine(line)('line_too_long', `line longer than ${REPORT_LINE_MAX_CHARS} characters`);
      continue;
    }
    if (text.trim() === '') continue;
    yield format === 'csv' ? csvRow(line, text) : jsonRow(line, text.replace(/^\uFEFF/, ''));
  }
  if (!headerSeen) {
    yield {
      ok: false,
      line: 1,
      problem: 'no_header',
      message: 'the report is empty: no header',
      fatal: true,
    };
  }
}

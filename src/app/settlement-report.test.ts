// Proves the streaming settlement-report reader: CSV and JSON lines give the same rows, every
// malformed row comes back with its line number and reason (never dropped), the header is the
// only fatal error, amounts are held to their bound (docs/security.md), and lines split across
// chunks (even inside a UTF-8 character), CRLF endings, a BOM and over-long lines are handled,
// by feeding the reader chunked input and reading all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  readSettlementReport,
  REPORT_LINE_MAX_CHARS,
  type ReportItem,
} from './settlement-report.js';

const HEADER = 'order_reference,transaction_reference,type,amount,currency,settled_at';

async function readAll(chunks: readonly (string | Buffer)[], format: 'csv' | 'ndjson') {
  const out: ReportItem[] = [];
  for await (const item of readSettlementReport(
    (async function* () {
      yield* chunks;
    })(),
    format,
  )) {
    out.push(item);
  }
  return out;
}

const errors = (items: ReportItem[]) =>
  items.flatMap((i) => (i.ok ? [] : [[i.line, i.message, i.fatal] as const]));

describe('readSettlementReport', () => {
  it('reads CSV rows strictly into minor units, with their line numbers', async () => {
    const items = await readAll(
      [`\uFEFF${HEADER}\r\n`, 'o-1,t-1,payment,150.75,SAR,2026-11-23T10:00:00Z\r\n', '\r\n'],
      'csv',
    );
    assert.deepEqual(items, [
      {
        ok: true,
        row: {
          line: 2,
          orderReference: 'o-1',
          transactionReference: 't-1',
          type: 'payment',
          amountMinor: 15075,
          currency: 'SAR',
          settledAt: Date.UTC(2026, 10, 23, 10),
        },
      },
    ]);
  });

  it('reports every malformed CSV row by line and keeps reading', async () => {
    const lines = [
      HEADER,
      'o-1,t-1,payment,1.005,SAR,2026-11-23T10:00:00Z', // 2: three decimals in SAR
      'o-1,t-2,payment,-1.00,SAR,2026-11-23T10:00:00Z', // 3: negative
      'o-1,t-3,payment,0,SAR,2026-11-23T10:00:00Z', // 4: zero
      'o-1,t-4,payment,1e3,SAR,2026-11-23T10:00:00Z', // 5: exponent
      'o-1,t-5,payment,1.00,XXX,2026-11-23T10:00:00Z', // 6: unknown currency
      'o-1,t-6,payment,1.00,SAR', // 7: short
      'o-1,t-7,charge,1.00,SAR,2026-11-23T10:00:00Z', // 8: type
      'o-1,t-8,payment,1.00,SAR,2026-11-23 10:00:00', // 9: no T, no offset
      ',t-9,payment,1.00,SAR,2026-11-23T10:00:00Z', // 10: empty reference
      '"o-1,t-10,payment,1.00,SAR,2026-11-23T10:00:00Z', // 11: open quote
      '"o,1",t-11,payment,"1,000.00",SAR,2026-11-23T10:00:00Z', // 12: thousands separator
      '"o,1",t-12,payment,"1000.00",JPY,2026-11-23T10:00:00+09:00', // 13: JPY has no decimals
      '"o,""1""",t-13,refund,7,JPY,2026-11-23T10:00:00+09:00', // 14: fine, quoted
    ];
    const items = await readAll([lines.join('\n')], 'csv');
    assert.deepEqual(
      items.flatMap((i) => (i.ok ? [] : [[i.line, i.problem]])),
      [
        [2, 'amount_too_many_decimals'],
        [3, 'amount_not_positive'],
        [4, 'amount_not_positive'],
        [5, 'amount_not_decimal'],
        [6, 'bad_currency'],
        [7, 'wrong_field_count'],
        [8, 'bad_type'],
        [9, 'bad_settled_at'],
        [10, 'bad_order_reference'],
        [11, 'bad_csv_quoting'],
        [12, 'amount_not_decimal'],
        [13, 'amount_too_many_decimals'],
      ],
    );
    assert.ok(errors(items).every(([, , fatal]) => !fatal));
    assert.match(errors(items)[0]![1], /decimal places/);
    const last = items.at(-1)!;
    assert.ok(last.ok);
    assert.equal(last.row.line, 14);
    assert.equal(last.row.orderReference, 'o,"1"');
    assert.equal(last.row.amountMinor, 7);
    assert.equal(last.row.settledAt, Date.UTC(2026, 10, 23, 1));
  });

  it('takes an amount exactly at the bound and reports one minor unit above it', async () => {
    const lines = [
      HEADER,
      'o-1,t-1,payment,10000000000.00,SAR,2026-11-23T10:00:00Z', // 2: at the bound
      'o-1,t-2,payment,10000000000.01,SAR,2026-11-23T10:00:00Z', // 3: one halala above
      'o-1,t-3,payment,1000000000000,JPY,2026-11-23T10:00:00Z', // 4: at the bound in yen
      'o-1,t-4,payment,1000000000001,JPY,2026-11-23T10:00:00Z', // 5: one yen above
      'o-1,t-5,payment,99999999999999999999,SAR,2026-11-23T10:00:00Z', // 6: past 2^53
    ];
    const items = await readAll([lines.join('\n')], 'csv');
    assert.deepEqual(
      items.map((i) => (i.ok ? [i.row.line, i.row.amountMinor] : [i.line, i.problem, i.message])),
      [
        [2, 1_000_000_000_000],
        [
          3,
          'amount_out_of_range',
          'amount must be greater than zero and at most 10000000000.00 SAR',
        ],
        [4, 1_000_000_000_000],
        [
          5,
          'amount_out_of_range',
          'amount must be greater than zero and at most 1000000000000 JPY',
        ],
        [
          6,
          'amount_out_of_range',
          'amount must be greater than zero and at most 10000000000.00 SAR',
        ],
      ],
    );
  });

  it('a wrong or missing header is the one fatal error', async () => {
    assert.deepEqual(errors(await readAll(['order,amount\nx,1\n'], 'csv')), [
      [1, `the first line must be the header ${HEADER}`, true],
    ]);
    assert.deepEqual(errors(await readAll([], 'csv')), [
      [1, 'the report is empty: no header', true],
    ]);
    assert.deepEqual(await readAll([], 'ndjson'), []);
  });

  it('reads JSON lines with the same keys, refusing unknown and missing keys', async () => {
    const row = {
      order_reference: 'o-1',
      transaction_reference: 't-1',
      type: 'refund',
      amount: 12.5,
      currency: 'SAR',
      settled_at: '2026-11-23T10:00:00.250Z',
    };
    const text = [
      JSON.stringify(row),
      JSON.stringify({ ...row, extra: true }),
      JSON.stringify({ ...row, amount: undefined }),
      '[1,2]',
      '{"order_reference":',
      JSON.stringify({ ...row, amount: '12.505' }),
      JSON.stringify({ ...row, amount: true }),
      JSON.stringify({ ...row, settled_at: '2026-02-30T10:00:00Z' }),
    ].join('\n');
    const items = await readAll([text], 'ndjson');
    assert.ok(items[0]?.ok);
    assert.equal(items[0].row.amountMinor, 1250);
    assert.equal(items[0].row.line, 1);
    assert.deepEqual(
      errors(items).map(([line]) => line),
      [2, 3, 4, 5, 6, 7, 8],
    );
  });

  it('joins lines split across chunks, even inside a UTF-8 character', async () => {
    const text = `${HEADER}\nطلب-1,t-1,payment,5.00,SAR,2026-11-23T10:00:00Z\n`;
    const bytes = Buffer.from(text, 'utf8');
    // One byte per chunk: every boundary, including the middle of each two-byte letter.
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const items = await readAll(chunks, 'csv');
    assert.equal(items.length, 1);
    assert.ok(items[0]?.ok);
    assert.equal(items[0].row.orderReference, 'طلب-1');
  });

  it('an over-long line is reported and skipped, and the next line still reads', async () => {
    const long = 'x'.repeat(REPORT_LINE_MAX_CHARS + 10);
    const items = await readAll(
      [
        `${HEADER}\n`,
        long.slice(0, 3000),
        long.slice(3000),
        '\no-1,t-1,payment,1.00,SAR,2026-11-23T10:00:00Z',
      ],
      'csv',
    );
    assert.deepEqual(errors(items), [
      [2, `line longer than ${REPORT_LINE_MAX_CHARS} characters`, false],
    ]);
    assert.ok(items[1]?.ok);
    assert.equal(items[1].row.line, 3);
  });
});

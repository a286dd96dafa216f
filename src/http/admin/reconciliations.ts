/**
 * Admin: reconciliation runs (issue 7). The settlement report is the request body, `text/csv` or
 * `application/x-ndjson`, streamed straight into the run (never buffered). Fastify's body limits
 * apply only to bodies it buffers, so the report's own limit, far above the global one, is counted
 * here as the bytes arrive (`limited`); any other body type keeps the global limit.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import { reconcile, runFindings, runOutline } from '../../app/reconciliation.js';
import { applyReconciliation } from '../../app/reconciliation-apply.js';
import {
  findReconciliationRun,
  firstFindings,
  listReconciliationRuns,
} from '../../app/reconciliation-queries.js';
import type { ReportFormat } from '../../app/settlement-report.js';
import type { DomainError } from '../../domain/errors.js';
import {
  type Finding,
  RECONCILED_DIALECTS,
  type ReconciliationRun,
} from '../../domain/reconciliation.js';
import { HttpProblem, send } from '../faces.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { renderAdminDomainError } from './admin-errors.js';
import { decodeCursor, encodeCursor, iso, pageJson, parseCursor } from './render.js';
import { instant, listReconciliationsQuery } from './schemas.js';

/** Largest report accepted over HTTP: about 20 million rows. */
export const REPORT_BODY_BYTES_MAX = 2 * 1024 * 1024 * 1024;
/** Findings shown with the run by `GET /admin/reconciliations/:id`; the export has them all. */
const FINDINGS_SHOWN_MAX = 500;

const REPORT_MEDIA_TYPES: Readonly<Record<string, ReportFormat>> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
};

export const reconcileQuery = z
  .strictObject({
    merchant_id: z
      .string()
      .min(1)
      .max(64)
      .describe('The merchant whose settlement report this is. Required.'),
    dialect: z
      .enum(RECONCILED_DIALECTS)
      .describe('The provider face the report comes from; only its orders are read. Required.'),
    from: instant,
    to: instant,
    apply: z.enum(['true', 'false']).optional(),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'to must be after from.',
  });
const runParams = z.strictObject({ id: z.string().min(1).max(64) });
const runQuery = z.strictObject({ format: z.enum(['csv', 'json']).optional() });

export const runJson = (run: ReconciliationRun) => ({
  id: run.id,
  status: run.status,
  source: run.source,
  // Null on runs stored before runs had a scope (they matched every merchant's orders).
  merchant_id: run.scope?.merchantId ?? null,
  dialect: run.scope?.dialect ?? null,
  from: iso(run.fromAt),
  to: iso(run.toAt),
  summary: run.summary,
  error: run.error,
  created_at: iso(run.createdAt),
  completed_at: iso(run.completedAt),
  applied_at: iso(run.appliedAt),
});

export const FINDING_COLUMNS = [
  'seq',
  'kind',
  'line',
  'order_reference',
  'order_id',
  'merchant_id',
  'transaction_reference',
  'type',
  'expected_minor',
  'reported_minor',
  'expected_currency',
  'reported_currency',
  'message',
  'action',
  'action_detail',
  'updated_at',
] as const;

export const findingJson = (f: Finding): Record<(typeof FINDING_COLUMNS)[number], unknown> => ({
  seq: f.seq,
  kind: f.kind,
  line: f.line,
  order_reference: f.orderReference,
  order_id: f.orderId,
  merchant_id: f.merchantId,
  transaction_reference: f.transactionReference,
  type: f.type,
  expected_minor: f.expectedMinor,
  reported_minor: f.reportedMinor,
  expected_currency: f.expectedCurrency,
  reported_currency: f.reportedCurrency,
  message: f.message,
  action: f.action,
  action_detail: f.actionDetail,
  updated_at: iso(f.updatedAt),
});

const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what CSV needs quoted, and neutralise spreadsheet formulas in text from the report.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** Counts the body's bytes as they arrive and stops the run past the limit. */
async function* limited(body: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) throw new HttpProblem('body_too_large');
    yield chunk;
  }
}

const mediaType = (request: FastifyRequest): string =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

export const reconciliationRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (
  app,
  { deps },
) => {
  // Scoped to this plugin: the report's stream is handed to the handler unread.
  app.addContentTypeParser(Object.keys(REPORT_MEDIA_TYPES), (_request, payload, done) =>
    done(null, payload),
  );
  registerReportUpload(app, deps);
  registerRunReads(app, deps);
  app.post(
    '/reconciliations/:id/apply',
    documented({
      summary: "Apply a run's auto-refunds, re-checked now",
      tag: 'Reconciliation',
      params: runParams,
    }),
    async (request, reply) => {
      const { id } = parseOrThrow(runParams, request.params);
      const result = await applyReconciliation(deps, id);
      if (!result.ok) return fail(request, reply, result.error);
      return runOutline(result.value);
    },
  );
};

const fail = (request: FastifyRequest, reply: FastifyReply, error: DomainError) =>
  send(reply, renderAdminDomainError(error, request.id));

/** POST /reconciliations: the report streamed into a new run. */
function registerReportUpload(app: FastifyInstance, deps: AppDeps): void {
  // The report may be large: its body gets UNWIND_UPLOAD_TIMEOUT_MS (src/http/connections.ts).
  const upload = (options: ReturnType<typeof documented>) => ({
    ...options,
    config: { ...options.config, upload: true },
  });
  app.post(
    '/reconciliations',
    upload(
      documented({
        summary: 'Reconcile a settlement report against the ledger',
        description:
          'The body is the report: `text/csv` with the header ' +
          '`order_reference,transaction_reference,type,amount,currency,settled_at`, or ' +
          '`application/x-ndjson` with the same keys. `merchant_id` and `dialect` name whose ' +
          "report it is: only that merchant's orders on that face are read, reported or " +
          'refunded; a row naming any other order is an `unknown_order` finding. A dry run ' +
          'unless `apply=true`.',
        tag: 'Reconciliation',
        query: reconcileQuery,
        responses: {
          201: { description: 'The run: id, status, merchant_id, dialect and summary' },
          404: { description: 'Unknown merchant (no run is stored)' },
          422: { description: 'No scope, a bad range or an unusable header (no run is stored)' },
        },
      }),
    ),
    async (request, reply) => {
      const q = parseOrThrow(reconcileQuery, request.query);
      const format = REPORT_MEDIA_TYPES[mediaType(request)];
      if (!format) throw new HttpProblem('unsupported_media_type');
      // A report declared too big is refused before a run is stored. One sent without a length
      // (chunked) can only be counted as it arrives: past the limit its run is kept as `failed`
      // with the reason, a record of what was tried that can never be applied, and the answer is
      // the same 413.
      if (Number(request.headers['content-length']) > REPORT_BODY_BYTES_MAX) {
        throw new HttpProblem('body_too_large');
      }
      const body = (request.body ?? Readable.from([])) as AsyncIterable<Buffer>;
      const result = await reconcile(deps, {
        scope: { merchantId: q.merchant_id, dialect: q.dialect },
        fromAt: Date.parse(q.from),
        toAt: Date.parse(q.to),
        source: 'api',
        format,
        report: limited(body, REPORT_BODY_BYTES_MAX),
        apply: q.apply === 'true',
      });
      if (!result.ok) return fail(request, reply, result.error);
      return reply.code(201).send(runOutline(result.value));
    },
  );
}

/** GET /reconciliations and /reconciliations/:id, with the findings' export. */
function registerRunReads(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/reconciliations',
    documented({
      summary: 'List reconciliation runs, newest first, of every scope or of one',
      tag: 'Reconciliation',
      query: listReconciliationsQuery,
    }),
    async (request) => {
      const q = parseOrThrow(listReconciliationsQuery, request.query);
      const before = parseCursor(q.cursor, decodeCursor);
      const runs = await listReconciliationRuns(deps, {
        ...(q.merchant_id === undefined ? {} : { merchantId: q.merchant_id }),
        ...(q.dialect === undefined ? {} : { dialect: q.dialect }),
        ...(before === undefined ? {} : { before }),
        limit: q.limit,
      });
      return pageJson(runs, q.limit, runJson, encodeCursor);
    },
  );

  app.get(
    '/reconciliations/:id',
    documented({
      summary: 'Read a reconciliation run, or export its findings (format=csv|json)',
      tag: 'Reconciliation',
      params: runParams,
      query: runQuery,
    }),
    async (request, reply) => {
      const { id } = parseOrThrow(runParams, request.params);
      const q = parseOrThrow(runQuery, request.query);
      const run = await findReconciliationRun(deps, id);
      if (!run) return fail(request, reply, { code: 'reconciliation.not_found' });
      if (q.format === undefined) {
        const findings = await firstFindings(deps, id, FINDINGS_SHOWN_MAX + 1);
        return {
          ...runJson(run),
          findings: findings.slice(0, FINDINGS_SHOWN_MAX).map(findingJson),
          findings_truncated: findings.length > FINDINGS_SHOWN_MAX,
        };
      }
      const stream = findingsExport(run, runFindings(deps, id), q.format);
      return reply
        .header('content-type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json')
        .header(
          'content-disposition',
          `attachment; filename="reconciliation-${run.id}.${q.format}"`,
        )
        .send(stream);
    },
  );
}

/** A run's findings as a CSV or JSON download, streamed page by page whatever their number. */
const findingsExport = (
  run: ReconciliationRun,
  findings: AsyncIterable<Finding>,
  format: 'csv' | 'json',
): Readable =>
  format === 'csv'
    ? Readable.from(
        (async function* () {
          yield `${FINDING_COLUMNS.join(',')}\n`;
          for await (const f of findings) {
            const row = findingJson(f);
            yield `${FINDING_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`;
          }
        })(),
      )
    : Readable.from(
        (async function* () {
          yield `{"run":${JSON.stringify(runJson(run))},"findings":[`;
          let first = true;
          for await (const f of findings) {
            yield `${first ? '' : ','}\n${JSON.stringify(findingJson(f))}`;
            first = false;
          }
          yield '\n]}\n';
        })(),
      );

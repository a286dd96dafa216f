/**
 * GET /mpg/v1/orders: MPG's order search with its filters and sorting, paged by page number
 * without counting (G3) or by Unwind's keyset cursor for deep lists.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppDeps } from '../../../../app/context.js';
import {
  mpgListOrders,
  type MpgOrderEquals,
  type MpgOrderView,
  type MpgSortField,
} from '../../../../app/mpg-orders.js';
import { callerOf } from '../../../caller.js';
import { HttpProblem } from '../../../faces.js';
import { parseOrThrow } from '../../../validation.js';
import { requirePermission } from '../auth.js';
import { MPG_PREFIX } from '../errors.js';
import { decodeCursor, encodeCursor, mpgOrderJson } from '../render.js';
import { listOrdersQuery, mpgIssue } from '../schemas.js';

type ListQuery = z.infer<typeof listOrdersQuery>;

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const SORT_VALUE_TYPES = {
  merchant_id: 'string',
  amount: 'number',
  captured_amount: 'number',
  refunded_amount: 'number',
  currency: 'string',
  created_at: 'number',
  updated_at: 'number',
} as const satisfies Record<MpgSortField, 'number' | 'string'>;

function sortValue(order: MpgOrderView['order'], field: MpgSortField): number | string {
  switch (field) {
    case 'merchant_id':
      return order.merchantId;
    case 'amount':
      return order.amountMinor;
    case 'captured_amount':
      return order.capturedMinor;
    case 'refunded_amount':
      return order.refundedMinor;
    case 'currency':
      return order.currency;
    case 'created_at':
      return order.createdAt;
    case 'updated_at':
      return order.updatedAt;
  }
}

/** The query's cursor, or null without one; 422 for a cursor that is not ours or with a page. */
function cursorOf(q: ListQuery): { value: number | string; id: string } | null {
  const decoded = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  // The cursor's value is compared with the sort column, so its type must be that column's
  // (a text value against an amount fails the query on PostgreSQL).
  const after =
    decoded && typeof decoded.value === SORT_VALUE_TYPES[q['sort[field]']] ? decoded : null;
  if (decoded !== undefined && after === null) {
    throw new HttpProblem('validation_failed', [
      { path: 'cursor', message: 'The value is not a valid cursor.' },
    ]);
  }
  if (q.page !== undefined && q.cursor !== undefined) {
    throw new HttpProblem('validation_failed', [
      { path: 'page', message: 'The value cannot be combined with cursor.' },
    ]);
  }
  return after;
}

/** The filters that compare a column with a value. */
const equalsOf = (q: ListQuery): MpgOrderEquals => ({
  id: q.id,
  currency: q.currency,
  description: q.description,
  sourceType: q.source_type,
  scheme: q.scheme,
  firstDigits: q.first_digits,
  lastDigits: q.last_digits,
  subMerchantId: q.sub_merchant_id,
  deviceIp: q.device_ip,
  agreementId: q.agreement_id,
  retrievalReference: q.retrieval_reference,
  stan: q.stan,
  authCode: q.auth_code,
  responseCode: q.response_code,
});

/** The filters that bound an amount or a time. */
function rangesOf(q: ListQuery) {
  const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  return defined({
    amountGte: q['amount[gte]'],
    amountLte: q['amount[lte]'],
    createdGte: ms(q['created_at[gte]']),
    createdLte: ms(q['created_at[lte]']),
    updatedGte: ms(q['updated_at[gte]']),
    updatedLte: ms(q['updated_at[lte]']),
  });
}

async function listOrders(deps: AppDeps, request: FastifyRequest) {
  const auth = callerOf(request);
  const q = parseOrThrow(listOrdersQuery, request.query, mpgIssue);
  const after = cursorOf(q);
  // Countless pagination by page number (G3), or Unwind's keyset cursor for deep lists.
  const pageNumber = after ? null : (q.page ?? 1);
  const pageMeta = (more: boolean) => ({
    current_page: pageNumber,
    next_page: pageNumber !== null && more ? pageNumber + 1 : null,
    prev_page: pageNumber !== null && pageNumber > 1 ? pageNumber - 1 : null,
    items: q.items,
  });
  // Unwind records no terminal, forwarder, issuer, country or card type: such a filter
  // matches no order.
  const unrecorded = [q.terminal_id, q.forwarder_id, q.issuer_id, q.country, q.card_type];
  if (unrecorded.some((v) => v !== undefined) || q.issuer !== undefined) {
    return { orders: [], meta: { ...pageMeta(false), next_cursor: null } };
  }
  const sortField: MpgSortField = q['sort[field]'];
  const page = await mpgListOrders(deps, {
    merchantId: auth.merchant.id,
    equals: defined(equalsOf(q)),
    ...rangesOf(q),
    sortField,
    sortDir: q['sort[dir]'],
    ...(after ? { after } : {}),
    offset: pageNumber === null ? 0 : (pageNumber - 1) * q.items,
    // One more than asked tells whether another page exists, without counting.
    limit: q.items + 1,
  });
  const shown = page.slice(0, q.items);
  const last = shown.at(-1);
  return {
    orders: shown.map((o) => mpgOrderJson(auth.merchant, o.order, o.transactions)),
    meta: {
      ...pageMeta(page.length > q.items),
      next_cursor:
        last && page.length > q.items
          ? encodeCursor(sortValue(last.order, sortField), last.order.id)
          : null,
    },
  };
}

export function orderListRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    `${MPG_PREFIX}/v1/orders`,
    {
      onRequest: requirePermission(deps, 'orders_read'),
      config: {
        openapi: {
          summary: 'List orders (filters, sorting, countless pagination by page or cursor)',
          tag: 'Orders',
          query: listOrdersQuery,
        },
      },
    },
    async (request) => listOrders(deps, request),
  );
}

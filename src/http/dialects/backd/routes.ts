/**
 * Backd's post-order management API under `/backd` (docs/dialects/backd.md#endpoints):
 * create_order, order_placed, update_order, confirm_order, cancel_order, find_order, refund (POST,
 * DELETE). Each route authenticates with HTTP Basic (public key : secret key), parses and validates
 * the body, turns decimal amounts into minor units strictly, calls one use case and renders the
 * envelope. Every write honours `Idempotency-Key`, scoped to the merchant's Backd face.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  type BackdOrderView,
  cancelBackdOrder,
  confirmBackdOrder,
  createBackdOrder,
  findBackdOrderView,
  placeBackdOrder,
  updateBackdOrder,
} from '../../../app/backd-orders.js';
import { deleteRefundRequest, submitRefundRequest } from '../../../app/backd-refund-requests.js';
import { type AppDeps, mapUseCase, type UseCase } from '../../../app/context.js';
import { authenticateKeyPair } from '../../../app/merchants.js';
import type { BackdAmounts, BackdContact, BackdItem } from '../../../domain/backd-order.js';
import { amountMaxMajor, BOUNDS } from '../../../domain/bounds.js';
import { parseDecimalMinor } from '../../../domain/money.js';
import { admitCaller, callerKeyScope, callerOf, credentialActor } from '../../caller.js';
import { type FieldIssue, HttpProblem, send } from '../../faces.js';
import { documented } from '../../openapi.js';
import { respond } from '../../respond.js';
import { parseOrThrow } from '../../validation.js';
import { renderBackdDomainError, success } from './errors.js';
import { orderData, type OrderDataOptions } from './render.js';
import {
  cancelOrderSchema,
  type contactSchema,
  createOrderSchema,
  deleteRefundSchema,
  findOrderParams,
  type itemSchema,
  orderRefSchema,
  refundSchema,
  updateOrderSchema,
} from './schemas.js';

/** The route's OpenAPI entry, from the very schema its handler validates with. */
const doc = (summary: string, body: z.ZodType, tag = 'Orders') =>
  documented({ summary, tag, body });

/**
 * HTTP Basic with the merchant's Backd public key as user name and secret key as password. Both
 * must be live keys of the same merchant. Missing or wrong: 401 in the envelope
 * (docs/decisions/backd.md#auth).
 */
async function authenticate(deps: AppDeps, request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  const match =
    typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=_-]*)\s*$/i.exec(header) : null;
  if (!match) throw new HttpProblem('auth_missing');
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) throw new HttpProblem('auth_invalid');
  const caller = await authenticateKeyPair(
    deps,
    'backd',
    decoded.slice(0, colon),
    decoded.slice(colon + 1),
  );
  if (!caller) throw new HttpProblem('auth_invalid');
  admitCaller(request, caller);
}

/**
 * A decimal amount in major units as minor units of `currency`, or a 422 naming the field: too
 * many decimals, or more than `BOUNDS.amountMinorMax` (docs/security.md).
 */
function minorOf(value: number, currency: string, path: string, issues: FieldIssue[]): number {
  const parsed = parseDecimalMinor(value, currency);
  if (parsed.ok && parsed.value <= BOUNDS.amountMinorMax) return parsed.value;
  const message = parsed.ok
    ? `Must not be greater than ${amountMaxMajor(currency)}.`
    : parsed.error === 'too_many_decimals'
      ? `Too many decimal places for ${currency}.`
      : parsed.error === 'out_of_range' && value > 0
        ? `Must not be greater than ${amountMaxMajor(currency)}.`
        : parsed.error === 'out_of_range'
          ? 'The amount is out of range.'
          : 'Expected a decimal amount.';
  issues.push({ path, message });
  return 0;
}

/** A non-negative amount (create and update); refund_amount's sign is a core rule (400). */
function nonNegativeMinorOf(value: number, currency: string, path: string, issues: FieldIssue[]) {
  const minor = minorOf(value, currency, path, issues);
  if (minor < 0) issues.push({ path, message: 'Must not be negative.' });
  return minor;
}

const throwIssues = (issues: readonly FieldIssue[]) => {
  if (issues.length > 0) throw new HttpProblem('validation_failed', issues);
};

const contactOf = (c: z.infer<typeof contactSchema>): BackdContact => ({
  name: { first: c.name.first, last: c.name.last },
  company_name: c.company_name,
  address: {
    line1: c.address.line1,
    ...(c.address.line2 !== undefined ? { line2: c.address.line2 } : {}),
    city: c.address.city,
    state: c.address.state,
    zipcode: c.address.zipcode,
    country: c.address.country,
  },
  phone_number: c.phone_number,
  email: c.email,
});

function itemsOf(
  items: readonly z.infer<typeof itemSchema>[],
  currency: string,
  issues: FieldIssue[],
): BackdItem[] {
  return items.map((i, index) => ({
    displayName: i.display_name,
    sku: i.sku,
    unitPriceMinor: nonNegativeMinorOf(i.unit_price, currency, `items.${index}.unit_price`, issues),
    qty: i.qty,
    ...(i.item_image_url !== undefined ? { itemImageUrl: i.item_image_url } : {}),
    ...(i.item_url !== undefined ? { itemUrl: i.item_url } : {}),
  }));
}

export async function backdRoutes(
  app: FastifyInstance,
  options: { deps: AppDeps; publicUrl: string },
): Promise<void> {
  const { deps, publicUrl } = options;
  app.addHook('onRequest', async (request) => authenticate(deps, request));

  /** Runs a write and answers the order data in the envelope. */
  const write = (
    request: FastifyRequest,
    reply: FastifyReply,
    useCase: UseCase<BackdOrderView>,
    message: string,
    shape: OrderDataOptions,
  ) =>
    respond(deps, request, reply, useCase, {
      scope: callerKeyScope(callerOf(request)),
      render: (view) => ({ status: 200, body: success(orderData(view, shape), message) }),
      renderError: renderBackdDomainError,
    });

  const plain: OrderDataOptions = { refunds: false, merchantOrderStatus: true };
  const withRefunds: OrderDataOptions = { refunds: true, merchantOrderStatus: true };

  app.post(
    '/create_order',
    doc('Create an order; answers backd_order_id and customer_url', createOrderSchema),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(createOrderSchema, request.body);
      const currency = caller.merchant.currency;
      const issues: FieldIssue[] = [];
      const money = (value: number | undefined, path: string) =>
        value === undefined ? 0 : nonNegativeMinorOf(value, currency, path, issues);
      const amounts: BackdAmounts = {
        orderTotalMinor: money(body.order_total, 'order_total'),
        cartAmountMinor: money(body.cart_amount, 'cart_amount'),
        taxAmountMinor: money(body.tax_amount, 'tax_amount'),
        shippingAmountMinor: money(body.shipping_amount, 'shipping_amount'),
        discountAmountMinor: money(body.discount_amount, 'discount_amount'),
      };
      const items = itemsOf(body.items, currency, issues);
      throwIssues(issues);
      const useCase = createBackdOrder({
        merchantId: caller.merchant.id,
        actor: credentialActor(caller),
        amounts,
        merchantOrderId: body.merchant_order_id,
        merchantOrderStatus: body.merchant_order_status ?? null,
        shipping: body.shipping ? contactOf(body.shipping) : null,
        billing: contactOf(body.billing),
        items,
        mode: {
          type: 'redirect',
          orderSuccessUrl: body.mode.order_success_url,
          orderCloseUrl: body.mode.order_close_url,
        },
        notifyCustomer: body.notify_customer ?? null,
        customerEmail: body.customer_email ?? null,
      });
      return respond(deps, request, reply, useCase, {
        scope: callerKeyScope(caller),
        render: ({ view, checkoutToken }) => ({
          status: 200,
          body: success(
            {
              ...orderData(view, plain),
              customer_url: `${publicUrl}/backd/checkout/${checkoutToken}`,
            },
            'Order created. Send the customer to customer_url to select terms.',
          ),
        }),
        renderError: renderBackdDomainError,
      });
    },
  );

  // Placing and confirming take the same body and differ only in the use case they run.
  const lifecycleStep = (
    path: string,
    summary: string,
    build: typeof placeBackdOrder,
    message: string,
  ) =>
    app.post(path, doc(summary, orderRefSchema), async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(orderRefSchema, request.body);
      const useCase = build({
        merchantId: caller.merchant.id,
        backdOrderId: body.backd_order_id,
        merchantOrderId: body.merchant_order_id,
        actor: credentialActor(caller),
      });
      return write(request, reply, useCase, message, plain);
    });
  lifecycleStep(
    '/order_placed',
    'Place an order whose buyer selected terms',
    placeBackdOrder,
    'Order placed.',
  );
  lifecycleStep(
    '/confirm_order',
    'Confirm a placed order: the whole total is captured',
    confirmBackdOrder,
    'Order confirmed.',
  );

  app.post(
    '/update_order',
    doc('Update a placed order (order_total increase limit-checked)', updateOrderSchema),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(updateOrderSchema, request.body);
      const currency = caller.merchant.currency;
      const issues: FieldIssue[] = [];
      const amounts: { -readonly [K in keyof BackdAmounts]?: number } = {};
      const money = (value: number | undefined, path: string, set: (minor: number) => void) => {
        if (value !== undefined) set(nonNegativeMinorOf(value, currency, path, issues));
      };
      money(body.order_total, 'order_total', (m) => (amounts.orderTotalMinor = m));
      money(body.cart_amount, 'cart_amount', (m) => (amounts.cartAmountMinor = m));
      money(body.tax_amount, 'tax_amount', (m) => (amounts.taxAmountMinor = m));
      money(body.shipping_amount, 'shipping_amount', (m) => (amounts.shippingAmountMinor = m));
      money(body.discount_amount, 'discount_amount', (m) => (amounts.discountAmountMinor = m));
      const items = body.items ? itemsOf(body.items, currency, issues) : undefined;
      throwIssues(issues);
      const useCase = updateBackdOrder({
        merchantId: caller.merchant.id,
        backdOrderId: body.backd_order_id,
        merchantOrderId: body.merchant_order_id,
        actor: credentialActor(caller),
        amounts,
        ...(body.merchant_order_status !== undefined
          ? { merchantOrderStatus: body.merchant_order_status }
          : {}),
        ...(body.shipping ? { shipping: contactOf(body.shipping) } : {}),
        ...(body.billing ? { billing: contactOf(body.billing) } : {}),
        ...(items ? { items } : {}),
      });
      return write(request, reply, useCase, 'Order updated.', plain);
    },
  );

  app.post(
    '/cancel_order',
    doc('Cancel a placed order', cancelOrderSchema),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(cancelOrderSchema, request.body);
      const cancel = cancelBackdOrder({
        merchantId: caller.merchant.id,
        backdOrderId: body.backd_order_id,
        ...(body.merchant_order_id !== undefined
          ? { merchantOrderId: body.merchant_order_id }
          : {}),
        actor: credentialActor(caller),
        reason: 'Canceled via the Backd API',
      });
      const useCase = mapUseCase(cancel, (changed) => changed.view);
      return write(request, reply, useCase, 'Order canceled.', {
        refunds: false,
        merchantOrderStatus: false,
      });
    },
  );

  app.get(
    '/find_order/:backd_order_id',
    documented({
      summary: 'Find an order with its refund requests',
      tag: 'Orders',
      params: findOrderParams,
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const params = parseOrThrow(findOrderParams, request.params);
      const view = await findBackdOrderView(deps, caller.merchant.id, params.backd_order_id);
      if (!view) return send(reply, renderBackdDomainError({ code: 'order.not_found' }));
      return success(orderData(view, withRefunds), 'Order found.');
    },
  );

  app.post(
    '/refund',
    doc(
      'Submit a refund request (declines and replaces an unlocked active one)',
      refundSchema,
      'Refunds',
    ),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(refundSchema, request.body);
      const issues: FieldIssue[] = [];
      const amountMinor = minorOf(
        body.refund_amount,
        caller.merchant.currency,
        'refund_amount',
        issues,
      );
      throwIssues(issues);
      const useCase = submitRefundRequest({
        merchantId: caller.merchant.id,
        backdOrderId: body.backd_order_id,
        merchantOrderId: body.merchant_order_id,
        actor: credentialActor(caller),
        amountMinor,
        holidays: caller.merchant.settings.holidays,
      });
      return write(request, reply, useCase, 'Refund request submitted.', withRefunds);
    },
  );

  app.delete(
    '/refund',
    doc('Delete (decline) the active, unlocked refund request', deleteRefundSchema, 'Refunds'),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(deleteRefundSchema, request.body);
      const useCase = deleteRefundRequest({
        merchantId: caller.merchant.id,
        backdOrderId: body.backd_order_id,
        ...(body.merchant_order_id !== undefined
          ? { merchantOrderId: body.merchant_order_id }
          : {}),
        actor: credentialActor(caller),
      });
      return write(request, reply, useCase, 'Refund request deleted (declined).', withRefunds);
    },
  );
}

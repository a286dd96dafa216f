/**
 * Backd's orders under `/backd` (docs/dialects/backd.md#endpoints): create_order, order_placed,
 * update_order, confirm_order, cancel_order and find_order. Each route parses and validates the
 * body, turns decimal amounts into minor units strictly, calls one use case and renders the
 * envelope.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import {
  cancelBackdOrder,
  confirmBackdOrder,
  createBackdOrder,
  findBackdOrderView,
  placeBackdOrder,
  updateBackdOrder,
} from '../../../../app/backd-orders.js';
import { mapUseCase } from '../../../../app/context.js';
import type { BackdAmounts } from '../../../../domain/backd-order.js';
import { callerKeyScope, callerOf, credentialActor } from '../../../caller.js';
import { type FieldIssue, send } from '../../../faces.js';
import { documented } from '../../../openapi.js';
import { respond } from '../../../respond.js';
import { parseOrThrow } from '../../../validation.js';
import { renderBackdDomainError, success } from '../errors.js';
import { orderData } from '../render.js';
import {
  cancelOrderSchema,
  contactOf,
  createOrderSchema,
  findOrderParams,
  itemsOf,
  nonNegativeMinorOf,
  orderRefSchema,
  throwIssues,
  updateOrderSchema,
} from '../schemas.js';
import { type BackdRouteContext, doc, plain, withRefunds, write } from './shared.js';

/** create_order's command, its amounts in minor units (422 naming every amount that is not). */
function createCommand(body: z.infer<typeof createOrderSchema>, currency: string) {
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
  return {
    amounts,
    merchantOrderId: body.merchant_order_id,
    merchantOrderStatus: body.merchant_order_status ?? null,
    shipping: body.shipping ? contactOf(body.shipping) : null,
    billing: contactOf(body.billing),
    items,
    mode: {
      type: 'redirect' as const,
      orderSuccessUrl: body.mode.order_success_url,
      orderCloseUrl: body.mode.order_close_url,
    },
    notifyCustomer: body.notify_customer ?? null,
    customerEmail: body.customer_email ?? null,
  };
}

function createRoute(app: FastifyInstance, { deps, publicUrl }: BackdRouteContext): void {
  app.post(
    '/create_order',
    doc('Create an order; answers backd_order_id and customer_url', createOrderSchema),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(createOrderSchema, request.body);
      const useCase = createBackdOrder({
        merchantId: caller.merchant.id,
        actor: credentialActor(caller),
        ...createCommand(body, caller.merchant.currency),
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
}

/** Placing and confirming take the same body and differ only in the use case they run. */
function lifecycleStep(
  app: FastifyInstance,
  { deps }: BackdRouteContext,
  route: { path: string; summary: string; message: string },
  build: typeof placeBackdOrder,
): void {
  app.post(route.path, doc(route.summary, orderRefSchema), async (request, reply) => {
    const caller = callerOf(request);
    const body = parseOrThrow(orderRefSchema, request.body);
    const useCase = build({
      merchantId: caller.merchant.id,
      backdOrderId: body.backd_order_id,
      merchantOrderId: body.merchant_order_id,
      actor: credentialActor(caller),
    });
    return write(deps, request, reply, useCase, { message: route.message, shape: plain });
  });
}

/** update_order's changes, its amounts in minor units (422 naming every amount that is not). */
function updateChanges(body: z.infer<typeof updateOrderSchema>, currency: string) {
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
  return {
    amounts,
    ...(body.merchant_order_status !== undefined
      ? { merchantOrderStatus: body.merchant_order_status }
      : {}),
    ...(body.shipping ? { shipping: contactOf(body.shipping) } : {}),
    ...(body.billing ? { billing: contactOf(body.billing) } : {}),
    ...(items ? { items } : {}),
  };
}

function updateRoute(app: FastifyInstance, { deps }: BackdRouteContext): void {
  app.post(
    '/update_order',
    doc('Update a placed order (order_total increase limit-checked)', updateOrderSchema),
    async (request, reply) => {
      const caller = callerOf(request);
      const body = parseOrThrow(updateOrderSchema, request.body);
      const changes = updateChanges(body, caller.merchant.currency);
      const useCase = updateBackdOrder({
        merchantId: caller.merchant.id,
        backdOrderId: body.backd_order_id,
        merchantOrderId: body.merchant_order_id,
        actor: credentialActor(caller),
        ...changes,
      });
      return write(deps, request, reply, useCase, { message: 'Order updated.', shape: plain });
    },
  );
}

function cancelRoute(app: FastifyInstance, { deps }: BackdRouteContext): void {
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
      return write(deps, request, reply, useCase, {
        message: 'Order canceled.',
        shape: { refunds: false, merchantOrderStatus: false },
      });
    },
  );
}

function findRoute(app: FastifyInstance, { deps }: BackdRouteContext): void {
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
}

export function orderRoutes(app: FastifyInstance, context: BackdRouteContext): void {
  createRoute(app, context);
  lifecycleStep(
    app,
    context,
    {
      path: '/order_placed',
      summary: 'Place an order whose buyer selected terms',
      message: 'Order placed.',
    },
    placeBackdOrder,
  );
  lifecycleStep(
    app,
    context,
    {
      path: '/confirm_order',
      summary: 'Confirm a placed order: the whole total is captured',
      message: 'Order confirmed.',
    },
    confirmBackdOrder,
  );
  updateRoute(app, context);
  cancelRoute(app, context);
  findRoute(app, context);
}

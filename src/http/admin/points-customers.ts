/**
 * Admin: customers' Points wallets (docs/dialects/points.md#admin-customers-wallets). Seeding sets
 * a balance through one adjustment entry, so a wallet's balance always equals the sum of its
 * ledger.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { type AppDeps, execute } from '../../app/context.js';
import { type CustomerWallet, getCustomerWallet } from '../../app/points-customers.js';
import { activateCustomerWallet } from '../../app/points-pending.js';
import { BOUNDS } from '../../domain/bounds.js';
import { normalisePhone } from '../../domain/points.js';
import { HttpProblem, send } from '../faces.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { renderAdminDomainError } from './admin-errors.js';
import { respond } from './respond.js';
import { iso } from './render.js';

const seedSchema = z.strictObject({
  phone_number: z.string().min(1).max(32),
  balance: z
    .number()
    .int()
    .min(-BOUNDS.walletPointsMax, `At least -${BOUNDS.walletPointsMax} points.`)
    .max(BOUNDS.walletPointsMax, `At most ${BOUNDS.walletPointsMax} points.`),
});

const walletJson = ({ customer, entries }: CustomerWallet) => ({
  phone_number: customer.phone,
  balance: customer.balance,
  created_at: iso(customer.createdAt),
  updated_at: iso(customer.updatedAt),
  ledger: entries.map((e) => ({
    id: e.id,
    type: e.type,
    points: e.points,
    balance_after: e.balanceAfter,
    merchant_id: e.merchantId,
    order_id: e.orderId,
    transaction_id: e.transactionId,
    created_at: iso(e.createdAt),
  })),
});

function phoneOrThrow(input: string, path: string): string {
  const phone = normalisePhone(input);
  if (phone === null) {
    throw new HttpProblem('validation_failed', [
      { path, message: 'Expected a Saudi mobile number (5XXXXXXXX, 05…, 9665…, +9665…).' },
    ]);
  }
  return phone;
}

export const pointsCustomerRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (
  app,
  { deps },
) => {
  app.post(
    '/points/customers',
    documented({
      summary: "Seed or set a customer's points wallet",
      tag: 'Points',
      body: seedSchema,
    }),
    async (request, reply) => {
      const body = parseOrThrow(seedSchema, request.body);
      const phone = phoneOrThrow(body.phone_number, 'phone_number');
      return respond(
        deps,
        request,
        reply,
        activateCustomerWallet(phone, body.balance),
        (wallet) => ({
          status: 201,
          body: walletJson(wallet),
        }),
      );
    },
  );

  app.get<{ Params: { phone: string } }>(
    '/points/customers/:phone',
    documented({ summary: "A customer's points wallet with its ledger", tag: 'Points' }),
    async (request, reply) => {
      const phone = phoneOrThrow(request.params.phone, 'phone');
      const found = await execute(deps, getCustomerWallet(phone));
      if (!found.ok) return send(reply, renderAdminDomainError(found.error, request.id));
      return walletJson(found.value);
    },
  );
};

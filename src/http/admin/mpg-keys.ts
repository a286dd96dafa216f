/**
 * Admin: an MPG API key with a subset of the permissions and an optional IP whitelist
 * (`POST /admin/merchants/:id/mpg-keys`). The key is shown once; a replay of the request shows
 * its prefix only.
 */
import net from 'node:net';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import { issueMpgKey } from '../../app/mpg-keys.js';
import type { Credential } from '../../domain/merchant.js';
import { MPG_PERMISSIONS } from '../../domain/merchant.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { respond } from './respond.js';

/** An IPv4 or IPv6 address, or a CIDR block whose prefix fits its family. */
export function isAddressOrBlock(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** How many entries one key's whitelist may hold. */
export const IP_WHITELIST_ENTRIES_MAX = 100;

export const issueMpgKeySchema = z.strictObject({
  permissions: z
    .array(z.enum(MPG_PERMISSIONS))
    .min(1)
    .max(MPG_PERMISSIONS.length)
    .refine((list) => new Set(list).size === list.length, 'Each permission may be listed once.'),
  ip_whitelist: z
    .array(
      z
        .string()
        .max(64)
        .refine(isAddressOrBlock, 'Expected an IP address or a CIDR block such as 192.0.2.0/24.'),
    )
    .min(1)
    .max(IP_WHITELIST_ENTRIES_MAX)
    .nullable()
    .default(null),
});

const keyJson = (c: Credential) => ({
  id: c.id,
  merchant_id: c.merchantId,
  prefix: c.prefix,
  permissions: c.permissions,
  ip_whitelist: c.ipWhitelist,
});

export const mpgKeyRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post<{ Params: { id: string } }>(
    '/merchants/:id/mpg-keys',
    documented({
      summary: 'Issue an MPG API key with some permissions and an optional IP whitelist',
      tag: 'Merchants',
      body: issueMpgKeySchema,
      responses: {
        201: { description: 'The key (shown once), its permissions and whitelist' },
        404: { description: 'No such merchant' },
        422: { description: 'Invalid request' },
      },
    }),
    async (request, reply) => {
      const body = parseOrThrow(issueMpgKeySchema, request.body);
      return respond(
        deps,
        request,
        reply,
        issueMpgKey({
          merchantId: request.params.id,
          permissions: body.permissions,
          ipWhitelist: body.ip_whitelist,
        }),
        ({ credential, apiKey }) => ({
          status: 201,
          body: { ...keyJson(credential), api_key: apiKey },
          storedBody: {
            ...keyJson(credential),
            api_key: `${credential.prefix}…`,
            api_key_redacted: true,
          },
        }),
      );
    },
  );
};

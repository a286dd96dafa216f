/**
 * Admin: an MPG API key with a subset of the permissions and an optional IP whitelist
 * (`POST /admin/merchants/:id/mpg-keys`). The key is shown once; a replay of the request shows
 * its prefix only. And one credential of a merchant revoked on its own
 * (`POST /admin/merchants/:id/credentials/:credential_id/revoke`); `GET /admin/merchants/:id`
 * lists them all.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import { issueMpgKey, revokeCredential } from '../../app/mpg-keys.js';
import type { Credential } from '../../domain/merchant.js';
import { MPG_PERMISSIONS } from '../../domain/merchant.js';
import { IP_WHITELIST_ENTRIES_MAX, isAddressOrBlock } from '../../domain/ip-entries.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { actorFor } from './authorize.js';
import { credentialJson } from './render.js';
import { respond } from './respond.js';
import { reasonOnlySchema } from './schemas.js';

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
          audit: { actor: actorFor(request), reason: null },
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

  app.post<{ Params: { id: string; credential_id: string } }>(
    '/merchants/:id/credentials/:credential_id/revoke',
    documented({
      summary: 'Revoke one credential of a merchant, at once (its other keys keep working)',
      description:
        'Any face and kind. Revoking a revoked credential answers it unchanged and records ' +
        'nothing more; otherwise the admin action `credential.revoked` holds the reason.',
      tag: 'Merchants',
      body: reasonOnlySchema,
      responses: {
        200: { description: 'The credential with its `revoked_at` (never its secret)' },
        404: { description: 'No such merchant, or no such credential of this merchant' },
        422: { description: 'Invalid request' },
      },
    }),
    async (request, reply) => {
      const body = parseOrThrow(reasonOnlySchema, request.body ?? {});
      return respond(
        deps,
        request,
        reply,
        revokeCredential(request.params.id, request.params.credential_id, {
          actor: actorFor(request),
          reason: body.reason ?? null,
        }),
        (credential) => ({ status: 200, body: credentialJson(credential) }),
      );
    },
  );
};

/**
 * Admin: operators (issue 17). Admins invite operators (the invite token is shown once), change
 * their role and limit, disable and enable them, remove a lost TOTP, and issue and revoke API
 * tokens (shown once). An invited operator accepts with a password (public: the invite token is
 * the credential); any signed-in operator enrols its own TOTP. Every change is an admin action.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import {
  confirmTotpEnrolment,
  removeTotp,
  startTotpEnrolment,
} from '../../app/operator-sign-in.js';
import {
  issueOperatorToken,
  listOperatorTokens,
  type OperatorToken,
  revokeOperatorToken,
} from '../../app/operator-tokens.js';
import {
  acceptInvite,
  changeOperator,
  inviteOperator,
  listOperators,
  type OperatorAccount,
} from '../../app/operators.js';
import { operatorPolicy } from '../../app/context.js';
import { PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from '../../app/passwords.js';
import { OPERATOR_NAME_PATTERN, OPERATOR_ROLES, PERMISSIONS } from '../../domain/operators.js';
import { HttpProblem, send } from '../faces.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { renderAdminDomainError } from './admin-errors.js';
import { actorFor, principalOf, requires } from './authorize.js';
import { respond } from './respond.js';
import { amountMinor } from './schemas.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const operatorJson = (o: OperatorAccount) => ({
  id: o.id,
  name: o.name,
  role: o.role,
  limit_minor: o.limitMinor,
  totp_enabled: o.totpSecret !== null,
  invite_pending: o.inviteHash !== null,
  invite_expires_at: iso(o.inviteExpiresAt),
  disabled: o.disabledAt !== null,
  created_by: o.createdBy,
  created_at: iso(o.createdAt),
  updated_at: iso(o.updatedAt),
});

export const tokenJson = (t: OperatorToken) => ({
  id: t.id,
  name: t.name,
  operator_id: t.operatorId,
  role: t.role,
  scopes: t.scopes,
  limit_minor: t.limitMinor,
  prefix: t.prefix,
  created_by: t.createdBy,
  created_at: iso(t.createdAt),
  revoked_at: iso(t.revokedAt),
});

const limitMinor = amountMinor.or(z.literal(0)).nullable();
const inviteSchema = z.strictObject({
  name: z.string().regex(OPERATOR_NAME_PATTERN, '2–32 characters: a-z, 0-9, ".", "_", "-".'),
  role: z.enum(OPERATOR_ROLES),
  limit_minor: limitMinor.optional(),
});
const changeSchema = z.strictObject({
  role: z.enum(OPERATOR_ROLES).optional(),
  limit_minor: limitMinor.optional(),
  disabled: z.boolean().optional(),
});
const acceptSchema = z.strictObject({
  token: z.string().min(1).max(512),
  password: z.string().min(PASSWORD_LENGTH_MIN).max(PASSWORD_LENGTH_MAX),
});
const codeSchema = z.strictObject({ code: z.string().regex(/^[0-9]{6}$/) });
const tokenSchema = z.strictObject({
  name: z.string().min(1).max(64),
  operator_id: z.string().min(1).max(64).nullable().optional(),
  role: z.enum(OPERATOR_ROLES).optional(),
  scopes: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
  limit_minor: limitMinor.optional(),
});

type IdParams = { Params: { id: string } };
const TAG = 'Operators';

const ownOperatorId = (request: Parameters<typeof principalOf>[0]) => {
  const id = principalOf(request).operatorId;
  // Only a named operator has a TOTP of its own; the bootstrap and service tokens have none.
  if (id === null || request.adminSession === null) throw new HttpProblem('forbidden');
  return id;
};

/** GET and POST /operators. */
function listAndInviteRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/operators',
    requires('admin', documented({ summary: 'List operators by name', tag: TAG })),
    async () => ({ data: (await listOperators(deps)).map(operatorJson) }),
  );

  app.post(
    '/operators',
    requires(
      'admin',
      documented({
        summary: 'Invite an operator; the invite token is shown once',
        description:
          'Roles: `viewer` reads; `support` also refunds and cancels up to `limit_minor` (none ' +
          'without it) and decides four-eyes approvals; `admin` does everything. The operator ' +
          'accepts with `POST /admin/invites/accept` before the invite expires.',
        tag: TAG,
        body: inviteSchema,
        responses: { 201: { description: 'The operator and its invite token' } },
      }),
    ),
    async (request, reply) => {
      const body = parseOrThrow(inviteSchema, request.body);
      const useCase = inviteOperator(
        {
          name: body.name,
          role: body.role,
          limitMinor: body.limit_minor ?? null,
          actor: actorFor(request),
        },
        operatorPolicy(deps).inviteTtlMs,
      );
      return respond(deps, request, reply, useCase, ({ operator, inviteToken }) => ({
        status: 201,
        body: { ...operatorJson(operator), invite_token: inviteToken },
        storedBody: { ...operatorJson(operator), invite_token_redacted: true },
      }));
    },
  );
}

/** PATCH /operators/:id and DELETE /operators/:id/totp. */
function changeOperatorRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.patch<IdParams>(
    '/operators/:id',
    requires(
      'admin',
      documented({
        summary: "Change an operator's role or limit, or disable (signs it out) or enable it",
        tag: TAG,
        body: changeSchema,
      }),
    ),
    async (request, reply) => {
      const body = parseOrThrow(changeSchema, request.body);
      const useCase = changeOperator(
        request.params.id,
        {
          ...(body.role ? { role: body.role } : {}),
          ...(body.limit_minor !== undefined ? { limitMinor: body.limit_minor } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
        },
        actorFor(request),
        Date.now(),
      );
      return respond(deps, request, reply, useCase, (o) => ({
        status: 200,
        body: operatorJson(o),
      }));
    },
  );

  app.delete<IdParams>(
    '/operators/:id/totp',
    requires(
      'admin',
      documented({ summary: "Remove an operator's TOTP (a lost phone)", tag: TAG }),
    ),
    async (request, reply) =>
      respond(deps, request, reply, removeTotp(request.params.id, actorFor(request)), (o) => ({
        status: 200,
        body: operatorJson(o),
      })),
  );
}

/** POST /invites/accept: before any session. */
function acceptInviteRoute(app: FastifyInstance, deps: AppDeps): void {
  app.post(
    '/invites/accept',
    requires(
      'public',
      documented({
        summary: 'Accept an invite: choose the password (12 to 256 characters)',
        tag: TAG,
        body: acceptSchema,
        responses: {
          200: { description: 'The operator' },
          410: { description: 'Invite not valid' },
        },
      }),
    ),
    async (request, reply) => {
      const body = parseOrThrow(acceptSchema, request.body);
      const result = await acceptInvite(deps, body.token, body.password);
      if (!result.ok) return send(reply, renderAdminDomainError(result.error, request.id));
      return reply.header('cache-control', 'no-store').send(operatorJson(result.value));
    },
  );
}

/** The signed-in operator's own TOTP enrolment. */
function ownTotpRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post(
    '/operators/me/totp',
    requires(
      'read',
      documented({
        summary: 'Start TOTP enrolment (signed-in operators): a secret and its otpauth URI, once',
        tag: TAG,
      }),
    ),
    async (request, reply) =>
      respond(deps, request, reply, startTotpEnrolment(ownOperatorId(request)), (e) => ({
        status: 201,
        body: { secret: e.secret, otpauth_uri: e.uri },
        storedBody: { secret_redacted: true },
      })),
  );

  app.post(
    '/operators/me/totp/confirm',
    requires(
      'read',
      documented({
        summary: 'Confirm TOTP enrolment with a code; from then on sign-in asks for a code',
        tag: TAG,
        body: codeSchema,
      }),
    ),
    async (request, reply) => {
      const { code } = parseOrThrow(codeSchema, request.body);
      return respond(
        deps,
        request,
        reply,
        confirmTotpEnrolment(ownOperatorId(request), code),
        (o) => ({
          status: 200,
          body: operatorJson(o),
        }),
      );
    },
  );
}

/** API tokens: list, issue, revoke. */
function tokenRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/tokens',
    requires('admin', documented({ summary: 'List API tokens (prefixes only)', tag: TAG })),
    async () => ({ data: (await listOperatorTokens(deps)).map(tokenJson) }),
  );

  app.post(
    '/tokens',
    requires(
      'admin',
      documented({
        summary: 'Issue an API token for an operator or a service; shown once',
        description:
          'Scopes are `read`, `orders`, `admin`, never more than the role grants. An ' +
          "operator's token acts as the operator (its role and limit as they are at each " +
          'request); a service token (no `operator_id`) has its own `role` and `limit_minor`.',
        tag: TAG,
        body: tokenSchema,
        responses: { 201: { description: 'The token and its secret' } },
      }),
    ),
    async (request, reply) => {
      const body = parseOrThrow(tokenSchema, request.body);
      const useCase = issueOperatorToken({
        operatorId: body.operator_id ?? null,
        name: body.name,
        role: body.role ?? 'viewer',
        scopes: body.scopes,
        limitMinor: body.limit_minor ?? null,
        actor: actorFor(request),
      });
      return respond(deps, request, reply, useCase, ({ token, secret }) => ({
        status: 201,
        body: { ...tokenJson(token), token: secret },
        storedBody: { ...tokenJson(token), token_redacted: true },
      }));
    },
  );

  app.delete<IdParams>(
    '/tokens/:id',
    requires('admin', documented({ summary: 'Revoke one API token, at once', tag: TAG })),
    async (request, reply) =>
      respond(
        deps,
        request,
        reply,
        revokeOperatorToken(request.params.id, actorFor(request)),
        (t) => ({
          status: 200,
          body: tokenJson(t),
        }),
      ),
  );
}

export const operatorRoutes: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  listAndInviteRoutes(app, deps);
  changeOperatorRoutes(app, deps);
  acceptInviteRoute(app, deps);
  ownTotpRoutes(app, deps);
  tokenRoutes(app, deps);
};

/**
 * Admin: the development SMS outbox (docs/dialects/points.md "Verification codes"). With
 * UNWIND_SMS_SENDER=dev no code leaves the server; operators read the newest codes here, by phone
 * or by checkout session, with their expiry. Sandbox numbers' codes at sandbox merchants are kept
 * here whatever the sender. The codes live only in this process's memory and are never logged.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { LIMITS } from '../../app/limits.js';
import type { SmsOutbox } from '../../app/ports/sms.js';
import { normalisePhone } from '../../domain/points.js';
import { HttpProblem } from '../faces.js';
import { documented } from '../openapi.js';
import { parseOrThrow } from '../validation.js';
import { iso } from './render.js';

const otpQuery = z
  .strictObject({
    phone: z.string().min(1).max(32).optional(),
    session: z.string().min(1).max(255).optional(),
  })
  .refine((q) => q.phone !== undefined || q.session !== undefined, {
    message: 'Give phone or session.',
  });

export const pointsOtpRoutes: FastifyPluginAsync<{ outbox: SmsOutbox }> = async (
  app,
  { outbox },
) => {
  app.get(
    '/points/otp',
    documented({
      summary: 'The newest checkout codes of the development SMS outbox, by phone or session',
      tag: 'Points',
      query: otpQuery,
    }),
    async (request) => {
      const q = parseOrThrow(otpQuery, request.query);
      const phone = q.phone === undefined ? undefined : normalisePhone(q.phone);
      if (phone === null) {
        throw new HttpProblem('validation_failed', [
          { path: 'phone', message: 'Expected a Saudi mobile number (5XXXXXXXX, 05…, +9665…).' },
        ]);
      }
      const filter = {
        ...(phone === undefined ? {} : { phone }),
        ...(q.session === undefined ? {} : { sessionId: q.session }),
      };
      const messages = outbox.latest(filter, LIMITS.smsOutboxListMax);
      return {
        data: messages.map((m) => ({
          phone_number: m.phone,
          session_id: m.sessionId,
          code: m.code,
          sent_at: iso(m.sentAt),
          expires_at: iso(m.expiresAt),
        })),
      };
    },
  );
};

/**
 * The provider faces. Each is a folder of one shape (docs/architecture.md#faces): its `index.ts`
 * exports the `DialectModule` below (its error shape, its OpenAPI header, and `register`, which
 * mounts its routes under its prefix and any hosted pages); `server.ts` wires every entry.
 * Adding a face is one line here.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/context.js';
import type { CheckoutOptions } from '../../app/points-checkout-codes.js';
import type { Face } from '../faces.js';
import type { FaceDoc } from '../openapi.js';
import { pointsDialect } from './points/index.js';
import { mpgDialect } from './mpg/index.js';
import { backdDialect } from './backd/index.js';

export interface DialectContext {
  readonly deps: AppDeps;
  /** Base URL for links to hosted pages (PUBLIC_URL). */
  readonly publicUrl: string;
  /** The Points hosted checkout's code senders and limits. */
  readonly checkout: CheckoutOptions;
}

export interface DialectModule {
  readonly face: Face;
  /** The face's OpenAPI document header (title, description, credentials). */
  readonly openapi?: Omit<FaceDoc, 'prefix'>;
  /** The request headers that carry its credentials, redacted from every log line. */
  readonly secretHeaders: readonly string[];
  register(app: FastifyInstance, context: DialectContext): Promise<void>;
}

export const DIALECT_MODULES: readonly DialectModule[] = [pointsDialect, backdDialect, mpgDialect];

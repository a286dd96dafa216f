/**
 * The provider faces. Each is a module with its error shape (`face`) and a function that
 * registers its routes (under its prefix) and any hosted pages; `server.ts` wires every entry.
 * Adding a face is one line here.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/context.js';
import type { Face } from '../faces.js';

export interface DialectContext {
  readonly deps: AppDeps;
  /** Base URL for links to hosted pages (PUBLIC_URL). */
  readonly publicUrl: string;
}

export interface DialectModule {
  readonly face: Face;
  register(app: FastifyInstance, context: DialectContext): Promise<void>;
}

export const DIALECT_MODULES: readonly DialectModule[] = [];

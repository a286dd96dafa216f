/**
 * The dialects' hooks, registered with the core (src/app/dialect-hooks.ts). The only file of
 * src/app that lists the dialects' app modules; the composition root (src/main.ts, the CLI, the
 * test stores) imports it once, for its effect.
 */
import { BACKD_HOOKS } from './backd-state.js';
import { type DialectHooks, registerDialectHooks } from './dialect-hooks.js';
import { POINTS_HOOKS } from './points-customers.js';

/** MPG keeps its own tables (body-id claims, search columns) in its use cases, and adds no hook. */
export const DIALECT_HOOKS: readonly DialectHooks[] = [POINTS_HOOKS, BACKD_HOOKS];

registerDialectHooks(DIALECT_HOOKS);

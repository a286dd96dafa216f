/**
 * The dialects' hooks, registered with the core (src/app/dialect-hooks.ts). The only file of
 * src/app that lists the dialects' app modules; the composition root (src/main.ts, the CLI, the
 * test stores) imports it once, for its effect.
 */
import { BACKD_HOOKS } from './backd-state.js';
import { type DialectHooks, registerDialectHooks } from './dialect-hooks.js';
import { MPG_HOOKS } from './mpg-keys.js';
import { POINTS_HOOKS } from './points-customers.js';

/** In this order a new merchant's credentials are issued and listed. */
export const DIALECT_HOOKS: readonly DialectHooks[] = [POINTS_HOOKS, BACKD_HOOKS, MPG_HOOKS];

registerDialectHooks(DIALECT_HOOKS);

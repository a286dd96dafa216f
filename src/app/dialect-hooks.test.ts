// Proves the hooks the core calls for the dialects: nothing runs before they are registered, a
// change's effects are planned by every hook in order and none is written when one refuses, and
// lint keeps the core free of dialect modules and `appendEvent` in its two callers.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { domainError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import { err, ok } from '../domain/result.js';
import {
  dialectHooks,
  type DialectHooks,
  planDialectEffects,
  registerDialectHooks,
} from './dialect-hooks.js';
import type { StoreTx } from './ports/store.js';

const credentials = { tags: {}, permissions: [] };
const run = { now: 0, newId: () => 'id' };
const tx = {} as StoreTx;
const order = {} as Order;

describe('dialect hooks', () => {
  it('fail loudly when no process registered them', () => {
    assert.throws(() => dialectHooks(), /no dialect hooks registered/);
  });

  it('plan every effect in order, and write none when a hook refuses', async () => {
    const planned: string[] = [];
    const written: string[] = [];
    const hook = (dialect: DialectHooks['dialect'], refuse: boolean): DialectHooks => ({
      dialect,
      credentials,
      planEffects: async () => {
        planned.push(dialect);
        if (refuse) return err(domainError('points.balance_out_of_bounds'));
        return ok(async () => void written.push(dialect));
      },
    });
    registerDialectHooks([hook('points', false), hook('backd', false)]);
    const effects = await planDialectEffects(tx, run, order, []);
    assert.ok(effects.ok);
    assert.deepEqual(planned, ['points', 'backd']);
    assert.deepEqual(written, [], 'planning writes nothing');
    for (const effect of effects.value) await effect();
    assert.deepEqual(written, ['points', 'backd']);

    planned.length = 0;
    written.length = 0;
    registerDialectHooks([hook('points', true), hook('backd', false)]);
    const refused = await planDialectEffects(tx, run, order, []);
    assert.equal(!refused.ok && refused.error.code, 'points.balance_out_of_bounds');
    assert.deepEqual(planned, ['points'], 'a refusal stops the planning');
    assert.deepEqual(written, []);
  });
});

describe('lint of the one writer and the dialect-free core', () => {
  // dist/src/app/ → the repository, whose eslint.config.js is linted against.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const eslint = new ESLint({ cwd: root });
  const messages = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(root, file) }))
      .flatMap((r) => r.messages)
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => m.message);
  const appendEvent = "import { appendEvent } from './events.js';\nvoid appendEvent;\n";

  it('refuses appendEvent outside commitChange and the endpoint-health event', async () => {
    assert.match((await messages('src/app/backd-state.ts', appendEvent)).join(), /commitChange/);
    assert.match((await messages('src/app/verify.ts', appendEvent)).join(), /commitChange/);
    const http = appendEvent.replace('./events.js', '../app/events.js');
    assert.match((await messages('src/http/server.ts', http)).join(), /commitChange/);
    assert.deepEqual(await messages('src/app/ledger.ts', appendEvent), []);
    assert.deepEqual(await messages('src/app/endpoint-health.ts', appendEvent), []);
  });

  it("refuses a dialect's module in the core, not in the dialect's own", async () => {
    const points = "import { POINTS_HOOKS } from './points-customers.js';\nvoid POINTS_HOOKS;\n";
    for (const core of ['ledger', 'events', 'verify', 'merchants', 'create-order']) {
      const found = await messages(`src/app/${core}.ts`, points);
      assert.match(found.join(), /names no dialect/, core);
    }
    assert.deepEqual(await messages('src/app/dialects.ts', points), []);
  });
});

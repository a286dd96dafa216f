// The dashboard speaks English and Arabic everywhere: both dictionaries hold the same keys with
// the same {placeholders}; every code the API sends in a field the dashboard shows (order,
// ledger, delivery, refund request and Backd statuses; ledger types; event types; order kinds;
// faces; webhook formats and retry policies; admin actions; reconciliation findings, summary
// counts, actions and row types; decline reasons; who acted; MPG keys' permissions and the
// kinds and states of credentials; the errors an action may meet)
// has its words in both; and an Arabic string is Arabic, not English left untranslated. The
// dictionaries are bundled from src/dashboard with esbuild (this compilation has no DOM types),
// exactly as the browser gets them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { ADMIN_ACTIONS } from '../../src/domain/admin-actions.js';
import { BACKD_ORDER_STATUSES } from '../../src/domain/backd-order.js';
import { CREDENTIAL_DIALECTS, MPG_PERMISSIONS } from '../../src/domain/merchant.js';
import { EVENT_TYPES } from '../../src/domain/events.js';
import {
  DIALECTS,
  ORDER_KINDS,
  ORDER_STATUSES,
  TRANSACTION_STATUSES,
  TRANSACTION_TYPES,
} from '../../src/domain/order.js';
import { EMPTY_SUMMARY, FINDING_ACTIONS, FINDING_KINDS } from '../../src/domain/reconciliation.js';
import { REFUND_REQUEST_STATUSES } from '../../src/domain/refund-request.js';
import { DELIVERY_STATUSES, RETRY_POLICIES, WEBHOOK_FORMATS } from '../../src/domain/webhooks.js';

type Dictionaries = Record<'en' | 'ar', Record<string, string>>;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** src/dashboard/i18n.ts bundled for Node, imported; its DICTIONARIES. */
async function loadDictionaries(): Promise<Dictionaries> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [path.join(ROOT, 'src/dashboard/i18n.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unwind-i18n-'));
  try {
    const file = path.join(dir, 'i18n.mjs');
    fs.writeFileSync(file, out.outputFiles[0]!.text);
    const module = (await import(pathToFileURL(file).href)) as { DICTIONARIES: Dictionaries };
    return module.DICTIONARIES;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The keys of `a` that `b` lacks. */
const missing = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).filter((key) => !Object.hasOwn(b, key));

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every enum value the dashboard shows, as the key it is looked up by. */
const ENUM_KEYS: readonly (readonly [family: string, keys: readonly string[]])[] = [
  [
    'statuses',
    [
      ...ORDER_STATUSES,
      ...TRANSACTION_STATUSES,
      ...DELIVERY_STATUSES,
      ...REFUND_REQUEST_STATUSES,
      ...BACKD_ORDER_STATUSES,
      ...FINDING_ACTIONS,
      // Reconciliation runs (RunStatus) and endpoints.
      ...['processing', 'completed', 'applied', 'failed', 'enabled', 'disabled'],
    ].map((s) => `status.${s}`),
  ],
  ['ledger types', TRANSACTION_TYPES.map((x) => `tx.${x}`)],
  ['event types', EVENT_TYPES.map((x) => `event.${x}`)],
  ['order kinds', ORDER_KINDS.map((x) => `kind.${x}`)],
  ['faces', DIALECTS.map((x) => `face.${x}`)],
  ['webhook formats', WEBHOOK_FORMATS.map((x) => `format.${x}`)],
  ['retry policies', RETRY_POLICIES.map((x) => `policy.${x}`)],
  ['admin actions', ADMIN_ACTIONS.map((x) => `action.${x}`)],
  ['finding kinds', FINDING_KINDS.map((x) => `code.${x}`)],
  ['finding texts', FINDING_KINDS.map((x) => `finding.${x}`)],
  ['run summary counts', Object.keys(EMPTY_SUMMARY).map((x) => `code.${x}`)],
  ['report row types', ['payment', 'refund'].map((x) => `rowType.${x}`)],
  ['decline reasons', ['replaced', 'deleted', 'not_refundable'].map((x) => `decline.${x}`)],
  ['reconciliation sources', ['api', 'cli', 'folder'].map((x) => `source.${x}`)],
  // Who acted (src/app/context.ts actorLabel) and the jobs that act.
  ['actors', ['admin', 'customer', 'credential', 'job'].map((x) => `actor.${x}`)],
  ['jobs', ['reconciliation', 'refund-request-locker'].map((x) => `job.${x}`)],
  // The API keys page: MPG keys' permissions, credentials' faces, kinds and states.
  ['MPG permissions', MPG_PERMISSIONS.map((x) => `permission.${x}`)],
  ['credential faces', CREDENTIAL_DIALECTS.map((x) => `face.${x}`)],
  [
    'credential kinds and states',
    [
      ...['api_key', 'public_key', 'secret_key'].map((x) => `apiKeys.kind.${x}`),
      ...['active', 'revoked'].map((x) => `status.${x}`),
    ],
  ],
  // What the dashboard's own actions can be refused with (refund, cancel, refund requests,
  // replays, endpoints, reconciliation), shown in Arabic by its code.
  [
    'errors of the actions',
    [
      'order.already_cancelled',
      'order.already_fully_refunded',
      'order.not_captured',
      'order.not_in_lifecycle',
      'refund.exceeds_refundable',
      'refund.window_expired',
      'idempotency.in_progress',
      'backd_order.invalid_state',
      'refund_request.locked',
      'refund_request.active_changed',
      'webhook.duplicate_url',
      'webhook.private_url',
      'reconciliation.not_applicable',
      'credential.not_found',
      'validation_failed',
      'http.rate_limited',
    ].map((x) => `error.${x}`),
  ],
];

/**
 * Arabic strings that are rightly not Arabic: names (Unwind, MPG), and the language switch, which
 * names English in English for the reader who wants it.
 */
const SAME_IN_BOTH = new Set([
  'app.name',
  'face.mpg',
  'app.switchLanguage',
  'app.switchLanguageLabel',
]);

describe('dashboard translations', () => {
  let dictionaries: Dictionaries;
  before(async () => {
    dictionaries = await loadDictionaries();
  });

  it('English and Arabic hold the same keys', () => {
    const { en, ar } = dictionaries;
    assert.ok(Object.keys(en).length > 300, 'the dictionaries were loaded');
    assert.deepEqual(missing(en, ar), [], 'keys in English only');
    assert.deepEqual(missing(ar, en), [], 'keys in Arabic only');
  });

  it('each key takes the same {placeholders} in both, and no string is empty', () => {
    const { en, ar } = dictionaries;
    const differ = Object.keys(en).filter(
      (key) => placeholders(en[key]!).join() !== placeholders(ar[key] ?? '').join(),
    );
    assert.deepEqual(differ, []);
    const empty = Object.keys(en).filter((k) => !en[k]!.trim() || !(ar[k] ?? '').trim());
    assert.deepEqual(empty, []);
  });

  it('every enum value the dashboard shows has its words in both languages', () => {
    const { en, ar } = dictionaries;
    for (const [family, keys] of ENUM_KEYS) {
      assert.deepEqual(
        keys.filter((k) => !Object.hasOwn(en, k)),
        [],
        `${family} without English`,
      );
      assert.deepEqual(
        keys.filter((k) => !Object.hasOwn(ar, k)),
        [],
        `${family} without Arabic`,
      );
    }
  });

  it('an Arabic string is written in Arabic, not the English left in place', () => {
    const { en, ar } = dictionaries;
    const untranslated = Object.keys(en).filter(
      (key) => !SAME_IN_BOTH.has(key) && (ar[key] === en[key] || !/[\u0600-\u06ff]/.test(ar[key]!)),
    );
    assert.deepEqual(untranslated, []);
  });
});

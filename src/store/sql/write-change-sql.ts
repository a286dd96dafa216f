/**
 * `LedgerStore.writeChange` as the portable statements in turn, for SQLite: in process there is
 * no round trip to save, so the change's writes stay the ledger's, outbox's and webhooks' own
 * statements. PostgreSQL sends the same writes as one statement
 * (src/store/postgres/write-change-pg.ts); the two must write the same rows.
 */
import type { LedgerStore, OrderChangeWrite } from '../../app/ports/ledger.js';
import type { OutboxStore } from '../../app/ports/outbox.js';
import type { WebhookStore } from '../../app/ports/webhooks.js';
import { assert } from '../../domain/result.js';

type Parts = Omit<LedgerStore, 'writeChange'> & OutboxStore & WebhookStore;

export const writeChangeInTurn =
  (tx: Parts): LedgerStore['writeChange'] =>
  async (w: OrderChangeWrite) => {
    // A new order's rows need the order first; an existing order's rows go first, so a
    // client-assigned id that is taken is refused before anything is written. Only the first row
    // can carry one, and a new order's refusal is rolled back with it by the caller.
    if (w.orderWrite === 'insert') await tx.insertOrder(w.order);
    for (const [index, row] of w.transactions.entries()) {
      if (!(await tx.insertTransaction(row))) {
        assert(index === 0, `ledger row ${row.id} already exists`);
        return false;
      }
    }
    if (w.orderWrite === 'update') await tx.updateOrder(w.order);
    await tx.insertEvent(w.event);
    const { formats, endpointLimit, delivery, newId } = w.fanOut;
    const endpoints = await tx.listWebhookEndpoints(w.event.merchantId, endpointLimit);
    for (const endpoint of endpoints) {
      if (!endpoint.enabled || !formats.includes(endpoint.format)) continue;
      await tx.insertDelivery({ ...delivery, id: newId(), endpointId: endpoint.id });
    }
    return true;
  };

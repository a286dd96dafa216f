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

type Parts = Omit<LedgerStore, 'writeChange'> & OutboxStore;

/**
 * `OutboxStore.writeEvent` on either engine: the event, then one pending delivery per enabled
 * endpoint of the merchant whose format carries it. The one fan-out of the portable statements;
 * PostgreSQL's one-statement `writeChange` does the same inside its statement.
 */
export const writeEventInTurn =
  (
    tx: Pick<OutboxStore, 'insertEvent' | 'insertDelivery'> & WebhookStore,
  ): OutboxStore['writeEvent'] =>
  async (event, fanOut) => {
    await tx.insertEvent(event);
    const { formats, endpointLimit, delivery, newId } = fanOut;
    const endpoints = await tx.listWebhookEndpoints(event.merchantId, endpointLimit);
    for (const endpoint of endpoints) {
      if (!endpoint.enabled || !formats.includes(endpoint.format)) continue;
      await tx.insertDelivery({ ...delivery, id: newId(), endpointId: endpoint.id });
    }
  };

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
    await tx.writeEvent(w.event, w.fanOut);
    return true;
  };

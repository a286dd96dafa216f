/**
 * The merchants' statements (MerchantStore): merchants, their credentials and the settings table.
 */
import type { MerchantStore } from '../../app/ports/merchants.js';
import { assert } from '../../domain/result.js';
import { rowToCredential, rowToMerchant, str } from './rows.js';
import {
  JOINED_MERCHANT_COLUMNS,
  type SqlSession,
  first,
  json,
  firstOf,
  allOf,
  marks,
  renamedColumns,
} from './sql-helpers.js';

const insertMerchant =
  (db: SqlSession): MerchantStore['insertMerchant'] =>
  async (m) => {
    await db.run(
      `INSERT INTO merchants (id, name, currency, settings, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [m.id, m.name, m.currency, json(m.settings), m.createdAt, m.updatedAt],
    );
  };

const findMerchant =
  (db: SqlSession): MerchantStore['findMerchant'] =>
  (id) =>
    firstOf(db, `SELECT * FROM merchants WHERE id = ?`, [id], rowToMerchant);

const lockMerchant =
  (db: SqlSession): MerchantStore['lockMerchant'] =>
  (id) =>
    firstOf(db, `SELECT * FROM merchants WHERE id = ? FOR UPDATE`, [id], rowToMerchant);

const updateMerchant =
  (db: SqlSession): MerchantStore['updateMerchant'] =>
  async (m) => {
    const changed = await db.run(
      `UPDATE merchants SET name = ?, settings = ?, updated_at = ? WHERE id = ?`,
      [m.name, json(m.settings), m.updatedAt, m.id],
    );
    assert(changed === 1, `merchant ${m.id} not updated`);
  };

const listMerchants =
  (db: SqlSession): MerchantStore['listMerchants'] =>
  (limit, after) =>
    allOf(
      db,
      after
        ? `SELECT * FROM merchants WHERE name >= ? AND (name > ? OR id > ?)
           ORDER BY name, id LIMIT ?`
        : `SELECT * FROM merchants ORDER BY name, id LIMIT ?`,
      after ? [after.name, after.name, after.id, limit] : [limit],
      rowToMerchant,
    );

const insertCredential =
  (db: SqlSession): MerchantStore['insertCredential'] =>
  async (c) => {
    await db.run(
      `INSERT INTO credentials
         (id, merchant_id, dialect, kind, prefix, secret_hash, permissions, ip_whitelist,
          created_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.id,
        c.merchantId,
        c.dialect,
        c.kind,
        c.prefix,
        c.secretHash,
        json(c.permissions),
        c.ipWhitelist === null ? null : json(c.ipWhitelist),
        c.createdAt,
        c.revokedAt,
      ],
    );
  };

const findCredentialsByHash =
  (db: SqlSession): MerchantStore['findCredentialsByHash'] =>
  async (secretHashes) => {
    const rows = await db.all(
      `SELECT c.*, ${JOINED_MERCHANT_COLUMNS}
       FROM credentials c JOIN merchants m ON m.id = c.merchant_id
       WHERE c.secret_hash IN (${marks(secretHashes.length)})`,
      secretHashes,
    );
    return rows.map((r) => ({
      credential: rowToCredential(r),
      merchant: rowToMerchant(renamedColumns(r, 'm')),
    }));
  };

const listCredentials =
  (db: SqlSession): MerchantStore['listCredentials'] =>
  (merchantId) =>
    allOf(
      db,
      `SELECT * FROM credentials WHERE merchant_id = ? ORDER BY created_at, id`,
      [merchantId],
      rowToCredential,
    );

const revokeCredentials =
  (db: SqlSession): MerchantStore['revokeCredentials'] =>
  async (merchantId, dialect, at) => {
    return db.run(
      `UPDATE credentials SET revoked_at = ?
       WHERE merchant_id = ? AND dialect = ? AND revoked_at IS NULL`,
      [at, merchantId, dialect],
    );
  };

const revokeCredential =
  (db: SqlSession): MerchantStore['revokeCredential'] =>
  (id, at) =>
    db.run(`UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, [at, id]);

const getSetting =
  (db: SqlSession): MerchantStore['getSetting'] =>
  async (name) => {
    const row = await first(db, `SELECT value FROM settings WHERE name = ?`, [name]);
    return row === undefined ? undefined : str(row, 'value');
  };

const putSetting =
  (db: SqlSession): MerchantStore['putSetting'] =>
  async (name, value, at) => {
    await db.run(
      `INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [name, value, at],
    );
  };

export const createMerchantSql = (db: SqlSession): MerchantStore => ({
  insertMerchant: insertMerchant(db),
  findMerchant: findMerchant(db),
  lockMerchant: lockMerchant(db),
  updateMerchant: updateMerchant(db),
  listMerchants: listMerchants(db),
  insertCredential: insertCredential(db),
  findCredentialsByHash: findCredentialsByHash(db),
  listCredentials: listCredentials(db),
  revokeCredentials: revokeCredentials(db),
  revokeCredential: revokeCredential(db),
  getSetting: getSetting(db),
  putSetting: putSetting(db),
});

/** The operator accounts' statements (OperatorAccountStore): operators and their API tokens. */
import type {
  OperatorAccount,
  OperatorAccountStore,
  OperatorToken,
} from '../../app/ports/operator-accounts.js';
import type { OperatorRole, Permission } from '../../domain/operators.js';
import { int, intOrNull, parsed, type Row, str, strOrNull } from './rows.js';
import { allOf, firstOf, json, type SqlSession } from './sql-helpers.js';

const rowToOperator = (r: Row): OperatorAccount => ({
  id: str(r, 'id'),
  name: str(r, 'name'),
  role: str(r, 'role') as OperatorRole,
  limitMinor: intOrNull(r, 'limit_minor'),
  passwordHash: strOrNull(r, 'password_hash'),
  totpSecret: strOrNull(r, 'totp_secret'),
  totpPendingSecret: strOrNull(r, 'totp_pending_secret'),
  totpLastStep: intOrNull(r, 'totp_last_step'),
  inviteHash: strOrNull(r, 'invite_hash'),
  inviteExpiresAt: intOrNull(r, 'invite_expires_at'),
  disabledAt: intOrNull(r, 'disabled_at'),
  createdBy: str(r, 'created_by'),
  createdAt: int(r, 'created_at'),
  updatedAt: int(r, 'updated_at'),
});

const rowToToken = (r: Row): OperatorToken => ({
  id: str(r, 'id'),
  operatorId: strOrNull(r, 'operator_id'),
  name: str(r, 'name'),
  role: str(r, 'role') as OperatorRole,
  scopes: parsed<Permission[]>(r, 'scopes'),
  limitMinor: intOrNull(r, 'limit_minor'),
  prefix: str(r, 'prefix'),
  secretHash: str(r, 'secret_hash'),
  createdBy: str(r, 'created_by'),
  createdAt: int(r, 'created_at'),
  revokedAt: intOrNull(r, 'revoked_at'),
});

const MUTABLE = [
  'role',
  'limit_minor',
  'password_hash',
  'totp_secret',
  'totp_pending_secret',
  'totp_last_step',
  'invite_hash',
  'invite_expires_at',
  'disabled_at',
  'updated_at',
] as const;

const mutableValues = (o: OperatorAccount) => [
  o.role,
  o.limitMinor,
  o.passwordHash,
  o.totpSecret,
  o.totpPendingSecret,
  o.totpLastStep,
  o.inviteHash,
  o.inviteExpiresAt,
  o.disabledAt,
  o.updatedAt,
];

const insertOperator =
  (db: SqlSession): OperatorAccountStore['insertOperator'] =>
  async (o) => {
    await db.run(
      `INSERT INTO operators (id, name, created_by, created_at, ${MUTABLE.join(', ')})
       VALUES (?, ?, ?, ?, ${MUTABLE.map(() => '?').join(', ')})`,
      [o.id, o.name, o.createdBy, o.createdAt, ...mutableValues(o)],
    );
  };

const updateOperator =
  (db: SqlSession): OperatorAccountStore['updateOperator'] =>
  async (o) => {
    await db.run(`UPDATE operators SET ${MUTABLE.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
      ...mutableValues(o),
      o.id,
    ]);
  };

const operatorWhere =
  (db: SqlSession, where: string) =>
  (value: string): Promise<OperatorAccount | undefined> =>
    firstOf(db, `SELECT * FROM operators WHERE ${where}`, [value], rowToOperator);

const insertOperatorToken =
  (db: SqlSession): OperatorAccountStore['insertOperatorToken'] =>
  async (t) => {
    await db.run(
      `INSERT INTO operator_tokens (id, operator_id, name, role, scopes, limit_minor, prefix,
         secret_hash, created_by, created_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        t.id,
        t.operatorId,
        t.name,
        t.role,
        json(t.scopes),
        t.limitMinor,
        t.prefix,
        t.secretHash,
        t.createdBy,
        t.createdAt,
        t.revokedAt,
      ],
    );
  };

const tokenWhere =
  (db: SqlSession, where: string) =>
  (value: string): Promise<OperatorToken | undefined> =>
    firstOf(db, `SELECT * FROM operator_tokens WHERE ${where}`, [value], rowToToken);

export const createOperatorAccountSql = (db: SqlSession): OperatorAccountStore => ({
  insertOperator: insertOperator(db),
  findOperator: operatorWhere(db, 'id = ?'),
  lockOperator: operatorWhere(db, 'id = ? FOR UPDATE'),
  findOperatorByName: operatorWhere(db, 'name = ?'),
  findOperatorByInviteHash: operatorWhere(db, 'invite_hash = ?'),
  updateOperator: updateOperator(db),
  listOperators: () => allOf(db, 'SELECT * FROM operators ORDER BY name, id', [], rowToOperator),
  revokeOperatorSessions: (operatorId, at) =>
    db.run(
      `UPDATE admin_sessions SET revoked_at = ? WHERE operator_id = ? AND revoked_at IS NULL`,
      [at, operatorId],
    ),
  insertOperatorToken: insertOperatorToken(db),
  findOperatorTokenByHash: tokenWhere(db, 'secret_hash = ?'),
  findOperatorToken: tokenWhere(db, 'id = ?'),
  listOperatorTokens: () =>
    allOf(db, 'SELECT * FROM operator_tokens ORDER BY created_at, id', [], rowToToken),
  revokeOperatorToken: (id, at) =>
    db.run(`UPDATE operator_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, [
      at,
      id,
    ]),
});

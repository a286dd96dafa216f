/**
 * The operators' port: admin tokens, dashboard sessions, and the append-only log of what
 * operators do outside the ledger (src/app/admin-actions.ts). The SQL is
 * src/store/sql/operators-sql.ts.
 */
import type { AdminActionType } from '../../domain/admin-actions.js';
import type { ListDirection } from './ledger.js';

/**
 * An operator's action outside the ledger (a replay, an endpoint change), written in the same
 * transaction as the action; append-only, like the ledger.
 */
export interface AdminActionRecord {
  readonly id: string;
  readonly action: AdminActionType;
  /** Who acted (`admin`), as on ledger rows and events. */
  readonly actor: string;
  readonly reason: string | null;
  /** null for actions on operators and tokens, which concern no merchant. */
  readonly merchantId: string | null;
  /** The order the action concerns (a replayed delivery's order), if any. */
  readonly orderId: string | null;
  /** The delivery or endpoint acted on. */
  readonly subjectId: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export interface AdminActionFilter {
  readonly merchantId?: string;
  readonly orderId?: string;
  readonly action?: AdminActionType;
  /** Default `asc`. */
  readonly direction?: ListDirection;
  /** Cursor: actions strictly after this (createdAt, id) pair in `direction`. */
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

export interface AdminToken {
  readonly id: string;
  readonly prefix: string;
  readonly secretHash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** A dashboard session: the hash of its cookie secret and of the admin token it was opened with. */
export interface AdminSession {
  readonly id: string;
  readonly secretHash: string;
  readonly tokenHash: string;
  readonly userAgent: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  /** The operator signed in; null for a session opened with the bootstrap admin token. */
  readonly operatorId: string | null;
}

/** Admin tokens, sessions and actions. */
export interface OperatorStore {
  insertAdminToken(token: AdminToken): Promise<void>;
  findAdminTokenByHash(secretHash: string): Promise<AdminToken | undefined>;
  revokeAdminTokens(at: number): Promise<number>;
  countActiveAdminTokens(): Promise<number>;
  insertAdminSession(session: AdminSession): Promise<void>;
  findAdminSessionByHash(secretHash: string): Promise<AdminSession | undefined>;
  /** Revokes one session; returns how many rows changed (0 when already revoked or unknown). */
  revokeAdminSession(id: string, at: number): Promise<number>;
  /** Deletes sessions that expired before `before`; returns how many. */
  deleteExpiredAdminSessions(before: number): Promise<number>;
  insertAdminAction(action: AdminActionRecord): Promise<void>;
  listAdminActions(filter: AdminActionFilter): Promise<AdminActionRecord[]>;
}

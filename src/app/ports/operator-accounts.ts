/**
 * The operator accounts' port: named operators (role, limit, password hash, TOTP, invite) and API
 * tokens per operator or service (hashes only). The SQL is
 * src/store/sql/operator-accounts-sql.ts; the use cases are src/app/operators.ts and
 * src/app/operator-tokens.ts.
 */
import type { OperatorRole, Permission } from '../../domain/operators.js';

export interface OperatorAccount {
  readonly id: string;
  readonly name: string;
  readonly role: OperatorRole;
  /** The largest refund or cancel a support operator may make alone, minor units. */
  readonly limitMinor: number | null;
  /** scrypt, `scrypt$N$r$p$salt$hash` (src/app/passwords.ts); null until the invite is taken. */
  readonly passwordHash: string | null;
  /** Base32 TOTP secret once enrolment is confirmed. */
  readonly totpSecret: string | null;
  /** A secret shown for enrolment, not yet confirmed with a code. */
  readonly totpPendingSecret: string | null;
  /** The last TOTP step accepted: a code works once. */
  readonly totpLastStep: number | null;
  readonly inviteHash: string | null;
  readonly inviteExpiresAt: number | null;
  readonly disabledAt: number | null;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** An API token: an operator's (acting as that operator) or a service's (its own role). */
export interface OperatorToken {
  readonly id: string;
  readonly operatorId: string | null;
  readonly name: string;
  readonly role: OperatorRole;
  readonly scopes: readonly Permission[];
  readonly limitMinor: number | null;
  readonly prefix: string;
  readonly secretHash: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface OperatorAccountStore {
  insertOperator(operator: OperatorAccount): Promise<void>;
  findOperator(id: string): Promise<OperatorAccount | undefined>;
  /** Locks the operator's row for the rest of the transaction. */
  lockOperator(id: string): Promise<OperatorAccount | undefined>;
  findOperatorByName(name: string): Promise<OperatorAccount | undefined>;
  findOperatorByInviteHash(inviteHash: string): Promise<OperatorAccount | undefined>;
  /** Writes every mutable column of the operator. */
  updateOperator(operator: OperatorAccount): Promise<void>;
  listOperators(): Promise<OperatorAccount[]>;
  /** Signs every session of one operator out; returns how many. */
  revokeOperatorSessions(operatorId: string, at: number): Promise<number>;
  insertOperatorToken(token: OperatorToken): Promise<void>;
  findOperatorTokenByHash(secretHash: string): Promise<OperatorToken | undefined>;
  findOperatorToken(id: string): Promise<OperatorToken | undefined>;
  listOperatorTokens(): Promise<OperatorToken[]>;
  /** Revokes one token; returns 0 when it was already revoked or is unknown. */
  revokeOperatorToken(id: string, at: number): Promise<number>;
}

/** The admin API calls of the operators and approvals pages (issue 17). */
import { api } from './api.js';

export type Role = 'viewer' | 'support' | 'admin';

export interface OperatorJson {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly limit_minor: number | null;
  readonly totp_enabled: boolean;
  readonly invite_pending: boolean;
  readonly disabled: boolean;
}

export interface ApprovalJson {
  readonly id: string;
  readonly order_id: string;
  readonly amount_minor: number;
  readonly currency: string;
  readonly reason: string | null;
  readonly state: 'pending' | 'approved' | 'declined' | 'expired';
  readonly requested_by: string;
  readonly decided_by: string | null;
  readonly expires_at: string;
}

export const listOperators = () => api<{ data: OperatorJson[] }>('/operators');

export const inviteOperator = (
  body: { name: string; role: Role; limit_minor?: number },
  idempotencyKey: string,
) =>
  api<OperatorJson & { invite_token: string }>('/operators', {
    method: 'POST',
    body,
    idempotencyKey,
  });

export const setOperatorDisabled = (id: string, disabled: boolean) =>
  api<OperatorJson>(`/operators/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: { disabled },
  });

export const pendingApprovals = () => api<{ data: ApprovalJson[] }>('/approvals');

export const decideApproval = (id: string, approve: boolean) =>
  api<{ approval: ApprovalJson }>(
    `/approvals/${encodeURIComponent(id)}/${approve ? 'approve' : 'decline'}`,
    { method: 'POST', body: {} },
  );

/** The name in an actor label: `operator:sara` → `sara`; `admin` and others as they are. */
export const actorName = (label: string) => label.replace(/^(operator|service):/, '');

/** A refund's answer: the order, or (202) a four-eyes approval waiting for a second operator. */
export const isPendingApproval = (answer: unknown): answer is { approval: ApprovalJson } =>
  typeof answer === 'object' && answer !== null && 'approval' in answer;

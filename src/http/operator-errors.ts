/**
 * The operators' error codes (accounts, tokens, limits, four-eyes approvals): only the admin face
 * can meet them, but every face's table maps every code (src/domain/errors.ts), so they share
 * this one entry list.
 */
export const OPERATOR_ERRORS = {
  'operator.not_found': [404, 'Operator not found.'],
  'operator.name_taken': [409, 'An operator with this name already exists.'],
  'operator.invite_invalid': [410, 'The invite is unknown, used or expired.'],
  'operator.totp_invalid': [422, 'The one-time code is not valid.'],
  'operator.limit_exceeded': [403, "The amount is above this operator's limit."],
  'token.not_found': [404, 'API token not found.'],
  // A merchant's credential revoked by id (admin only, like the operators' codes).
  'credential.not_found': [404, 'Credential not found.'],
  'approval.not_found': [404, 'Approval not found.'],
  'approval.not_pending': [409, 'The approval was already decided.'],
  'approval.expired': [410, 'The approval request has expired.'],
  'approval.same_operator': [403, 'A second operator must decide a refund they did not request.'],
} as const;

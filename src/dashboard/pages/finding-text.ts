/**
 * A reconciliation finding in the interface's language, from its fields (the server's `message`
 * is English): what differs, with the amounts or currencies on each side. A malformed row keeps
 * the parser's own words as its detail.
 */
import { codeLabel, type Translate } from '../i18n.js';
import type { FindingJson } from '../types.js';

export function findingText(
  t: Translate,
  f: FindingJson,
  amount: (minor: number | null, currency: string | null) => string,
): string {
  const type = f.type ? codeLabel(t, 'rowType', f.type) : '—';
  const expected = amount(f.expected_minor, f.expected_currency);
  const reported = amount(f.reported_minor, f.reported_currency);
  switch (f.kind) {
    case 'malformed_row':
      return t('finding.malformed_row', { detail: f.message });
    case 'unknown_order':
      return t('finding.unknown_order');
    case 'missing_in_report':
      return t('finding.missing_in_report', { expected, type });
    case 'missing_in_unwind':
      return t('finding.missing_in_unwind', { reported, type });
    case 'amount_mismatch':
      return t('finding.amount_mismatch', { expected, reported, type });
    case 'currency_mismatch':
      return t('finding.currency_mismatch', {
        type,
        expected: f.expected_currency ?? '—',
        reported: f.reported_currency ?? '—',
      });
    case 'duplicate':
      return t('finding.duplicate');
    default:
      return f.message;
  }
}

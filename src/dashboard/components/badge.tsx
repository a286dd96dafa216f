/** Statuses as badges. */
import { codeLabel, useI18n } from '../i18n.js';

const BADGE_TONES: Record<string, { tone: string; icon: string }> = {
  delivered: { tone: 'ok', icon: '✓' },
  enabled: { tone: 'ok', icon: '✓' },
  captured: { tone: 'ok', icon: '●' },
  approved: { tone: 'ok', icon: '✓' },
  succeeded: { tone: 'ok', icon: '✓' },
  completed: { tone: 'ok', icon: '✓' },
  applied: { tone: 'ok', icon: '✓' },
  refunded: { tone: 'info', icon: '↺' },
  partially_refunded: { tone: 'info', icon: '↺' },
  pending: { tone: 'wait', icon: '…' },
  authorized: { tone: 'wait', icon: '…' },
  draft: { tone: 'wait', icon: '…' },
  dead: { tone: 'bad', icon: '✗' },
  failed: { tone: 'bad', icon: '✗' },
  disabled: { tone: 'bad', icon: '⏸' },
  cancelled: { tone: 'neutral', icon: '–' },
  voided: { tone: 'neutral', icon: '–' },
  declined: { tone: 'neutral', icon: '–' },
  timeout: { tone: 'bad', icon: '✗' },
  system_error: { tone: 'bad', icon: '✗' },
  processing: { tone: 'wait', icon: '…' },
  pending_grace: { tone: 'wait', icon: '…' },
  auto_refund: { tone: 'wait', icon: '↺' },
  auto_refunded: { tone: 'info', icon: '↺' },
  // Backd's own statuses.
  created: { tone: 'wait', icon: '…' },
  terms_selected: { tone: 'wait', icon: '…' },
  order_placed: { tone: 'wait', icon: '…' },
  order_confirmed: { tone: 'ok', icon: '●' },
  order_canceled: { tone: 'neutral', icon: '–' },
  refund: { tone: 'info', icon: '↺' },
};

/** A status as words with an icon beside the colour, so it never depends on colour alone. */
export function Badge({ status }: { status: string }) {
  const { t } = useI18n();
  const look = BADGE_TONES[status] ?? { tone: 'neutral', icon: '•' };
  // A status the dictionary does not name (a provider's own) is shown as sent.
  const label = codeLabel(t, 'status', status);
  return (
    <span class={`badge badge-${look.tone}`} data-status={status}>
      <span aria-hidden="true">{look.icon}</span> {label}
    </span>
  );
}

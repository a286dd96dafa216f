/**
 * Four-eyes approvals: refunds above the approval limit wait here for a second operator, who
 * approves (the refund is made then) or declines. The requester's own requests are refused by
 * the server (approval.same_operator), and the refusal is shown.
 */
import { useState } from 'preact/hooks';
import {
  announce,
  type ActionError,
  ErrorText,
  Link,
  PageTitle,
  Table,
  toActionError,
  useLoad,
} from '../components.js';
import { formatInstant, formatMoney } from '../format.js';
import { useI18n } from '../i18n.js';
import {
  actorName,
  type ApprovalJson,
  decideApproval,
  pendingApprovals,
} from '../operators-api.js';
import { href } from '../router.js';

export function Approvals() {
  const { t, lang } = useI18n();
  const { data, error, reload } = useLoad(() => pendingApprovals(), []);
  const [actionError, setActionError] = useState<ActionError | null>(null);
  const decide = async (a: ApprovalJson, approve: boolean) => {
    setActionError(null);
    try {
      await decideApproval(a.id, approve);
      const amount = formatMoney(a.amount_minor, a.currency, lang);
      announce(t(approve ? 'approvals.approved' : 'approvals.declined', { amount }));
      reload();
    } catch (e) {
      setActionError(toActionError(e));
    }
  };
  return (
    <>
      <PageTitle>{t('approvals.title')}</PageTitle>
      <ErrorText error={error ?? actionError} />
      <Table
        caption={t('approvals.caption')}
        rows={data?.data ?? []}
        rowKey={(a) => a.id}
        empty={t('approvals.empty')}
        columns={[
          {
            label: t('approvals.order'),
            primary: true,
            render: (a) => (
              <Link href={href(`/orders/${a.order_id}`)}>
                <span dir="ltr">{a.order_id}</span>
              </Link>
            ),
          },
          {
            label: t('approvals.amount'),
            render: (a) => formatMoney(a.amount_minor, a.currency, lang),
          },
          {
            label: t('approvals.requestedBy'),
            render: (a) => <span dir="ltr">{actorName(a.requested_by)}</span>,
          },
          { label: t('approvals.reason'), render: (a) => a.reason ?? '' },
          { label: t('approvals.expires'), render: (a) => formatInstant(a.expires_at, lang) },
          {
            label: t('operators.actions'),
            render: (a) => (
              <>
                <button type="button" class="primary" onClick={() => void decide(a, true)}>
                  {t('approvals.approve')}
                </button>{' '}
                <button type="button" onClick={() => void decide(a, false)}>
                  {t('approvals.decline')}
                </button>
              </>
            ),
          },
        ]}
      />
    </>
  );
}

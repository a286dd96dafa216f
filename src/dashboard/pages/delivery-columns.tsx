/**
 * The columns of a list of deliveries, shared by a merchant's delivery log and the dead
 * deliveries of every merchant: the event in words, its order told apart by the random end of its
 * id, the endpoint's name, status, attempts, the receiver's last answer, and a replay.
 */
import { type Column, Link, Badge } from '../components.js';
import { formatInstant, formatNumber, orderIdTail } from '../format.js';
import { codeLabel, type Lang, type Translate } from '../i18n.js';
import { href } from '../router.js';
import type { DeliveryJson } from '../types.js';
import { replayable } from './timeline.js';

export function deliveryColumns(
  t: Translate,
  lang: Lang,
  options: {
    /** The endpoint's name by its id (the id is shown until it is known). */
    readonly endpointName: (endpointId: string) => string | undefined;
    /** A merchant column, for lists across merchants. */
    readonly merchantName?: (merchantId: string) => string | undefined;
    readonly onReplay: (delivery: DeliveryJson) => void;
  },
): Column<DeliveryJson>[] {
  const merchant = options.merchantName;
  return [
    {
      label: t('webhooks.event'),
      primary: true,
      render: (d) => codeLabel(t, 'event', d.event_type),
    },
    ...(merchant
      ? [
          {
            label: t('dead.merchant'),
            render: (d: DeliveryJson) => merchant(d.merchant_id) ?? d.merchant_id,
          },
        ]
      : []),
    { label: t('webhooks.created'), render: (d) => formatInstant(d.created_at, lang) },
    {
      label: t('webhooks.order'),
      render: (d) =>
        d.order_id ? (
          <Link href={href(`/orders/${encodeURIComponent(d.order_id)}`)}>
            <code>{orderIdTail(d.order_id)}</code>
          </Link>
        ) : (
          '—'
        ),
    },
    {
      label: t('webhooks.endpoint'),
      render: (d) => options.endpointName(d.endpoint_id) ?? d.endpoint_id,
    },
    { label: t('webhooks.status'), render: (d) => <Badge status={d.status} /> },
    { label: t('webhooks.attempts'), render: (d) => formatNumber(d.attempts, lang) },
    {
      label: t('webhooks.lastAnswer'),
      render: (d) =>
        [d.last_status_code, d.last_error].filter((x) => x !== null).join(' · ') || '—',
    },
    {
      label: t('webhooks.actions'),
      render: (d) =>
        replayable(d) ? (
          <button type="button" onClick={() => options.onReplay(d)}>
            {t('replay.button')}
            <span class="visually-hidden"> {codeLabel(t, 'event', d.event_type)}</span>
          </button>
        ) : null,
    },
  ];
}

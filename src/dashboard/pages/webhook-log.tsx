/**
 * A merchant's delivery log, newest first: filters by status, endpoint, event type and day, keyset
 * pages, and replay of one delivery.
 */
import { useState } from 'preact/hooks';
import { type DeliverySearch, listDeliveries } from '../admin.js';
import {
  ErrorText,
  FilterInput,
  FilterSelect,
  Pager,
  Table,
  useCursorPages,
  useLoad,
} from '../components.js';
import { localDayStartIso } from '../format.js';
import { useI18n } from '../i18n.js';
import { DELIVERY_STATUSES, type DeliveryJson, type WebhookJson } from '../types.js';
import { deliveryColumns } from './delivery-columns.js';
import { endpointName } from './webhook-endpoints.js';

type LogFilters = Pick<DeliverySearch, 'endpoint_id' | 'type' | 'status'> & {
  readonly fromDay?: string;
  readonly toDay?: string;
};

export function DeliveryLog(props: {
  merchantId: string;
  /** Changes after an action, to load the current page again. */
  version: number;
  endpoints: readonly WebhookJson[];
  onReplay: (delivery: DeliveryJson) => void;
}) {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<LogFilters>({});
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const log = useLoad(
    () =>
      listDeliveries({
        merchant_id: props.merchantId,
        endpoint_id: filters.endpoint_id,
        type: filters.type,
        status: filters.status,
        from: (filters.fromDay && localDayStartIso(filters.fromDay)) || undefined,
        to: (filters.toDay && localDayStartIso(filters.toDay, 1)) || undefined,
        cursor,
        limit: 25,
      }),
    [props.merchantId, JSON.stringify(filters), cursor, props.version],
  );
  const endpointById = new Map(props.endpoints.map((e) => [e.id, e] as const));
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setFilters({
      endpoint_id: text('endpoint_id'),
      type: text('type'),
      status: text('status'),
      fromDay: text('from'),
      toDay: text('to'),
    });
    pages.reset();
  };
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">{t('webhooks.log')}</h2>
      <LogFilterForm filters={filters} endpoints={props.endpoints} onSubmit={submit} />
      <ErrorText error={log.error} />
      {log.data && (
        <div aria-busy={log.loading ? 'true' : 'false'}>
          <Table<DeliveryJson>
            caption={t('webhooks.log')}
            captionHidden
            rows={log.data.data}
            rowKey={(d) => d.id}
            empty={t('webhooks.noDeliveries')}
            columns={deliveryColumns(t, lang, {
              endpointName: (id) => {
                const e = endpointById.get(id);
                return e && endpointName(e);
              },
              onReplay: props.onReplay,
            })}
          />
          <Pager {...pages.pager(log.data.next_cursor)} />
        </div>
      )}
    </section>
  );
}

/** The log's filters; uncontrolled, read on submit. */
function LogFilterForm(props: {
  filters: LogFilters;
  endpoints: readonly WebhookJson[];
  onSubmit: (event: Event) => void;
}) {
  const { t } = useI18n();
  const filters = props.filters;
  return (
    <form class="filters" onSubmit={props.onSubmit}>
      <FilterSelect
        id="log-status"
        name="status"
        label={t('webhooks.status')}
        defaultValue={filters.status ?? ''}
        options={DELIVERY_STATUSES.map((s) => [s, t(`status.${s}`)] as const)}
      />
      <FilterSelect
        id="log-endpoint"
        name="endpoint_id"
        label={t('webhooks.endpointFilter')}
        defaultValue={filters.endpoint_id ?? ''}
        options={props.endpoints.map((e) => [e.id, endpointName(e)] as const)}
      />
      <FilterInput
        id="log-type"
        name="type"
        type="text"
        label={t('webhooks.eventType')}
        defaultValue={filters.type ?? ''}
      />
      <FilterInput
        id="log-from"
        name="from"
        type="date"
        label={t('webhooks.createdFrom')}
        defaultValue={filters.fromDay ?? ''}
      />
      <FilterInput
        id="log-to"
        name="to"
        type="date"
        label={t('webhooks.createdTo')}
        defaultValue={filters.toDay ?? ''}
      />
      <div class="actions">
        <button type="submit" class="primary">
          {t('common.apply')}
        </button>
      </div>
    </form>
  );
}

/**
 * Webhooks: a merchant's endpoints with their health, disable/enable, replay since a time, and
 * the delivery log (newest first) with filters, keyset pages and replay of one delivery. Every
 * action is confirmed with a reason, recorded by the server as an admin action.
 */
import { useState } from 'preact/hooks';
import {
  type DeliverySearch,
  listDeliveries,
  listWebhooks,
  merchantsOnce,
  replayWebhookSince,
  setWebhookEnabled,
} from '../admin.js';
import {
  announce,
  Badge,
  ConfirmDialog,
  ErrorText,
  FilterInput,
  FilterSelect,
  Link,
  PageTitle,
  Pager,
  Table,
  useCursorPages,
  useLoad,
} from '../components.js';
import {
  formatInstant,
  formatNumber,
  formatPercent,
  localDateTimeToIso,
  localDayStartIso,
} from '../format.js';
import { codeLabel, useI18n } from '../i18n.js';
import { href, navigate, useLocation } from '../router.js';
import { DELIVERY_STATUSES, type DeliveryJson, type WebhookJson } from '../types.js';
import { deliveryColumns } from './delivery-columns.js';
import { ReplayDialog } from './timeline.js';
import { AddEndpointDialog, RotateSecretDialog, SecretDialog } from './webhook-endpoint-dialogs.js';

const HEALTH_WINDOW_HOURS = 24;

type Dialog =
  | { kind: 'toggle'; endpoint: WebhookJson }
  | { kind: 'since'; endpoint: WebhookJson; since: string }
  | { kind: 'replay'; delivery: DeliveryJson }
  | { kind: 'add' }
  | { kind: 'rotate'; endpoint: WebhookJson }
  | { kind: 'secret'; endpoint: WebhookJson }
  | null;

const endpointName = (e: WebhookJson) => e.name ?? e.url;

export function Webhooks() {
  const { t, lang } = useI18n();
  const location = useLocation();
  const merchantId = location.query.get('merchant_id') ?? '';
  const merchants = useLoad(() => merchantsOnce(), []);
  const endpoints = useLoad(
    () =>
      merchantId
        ? listWebhooks(merchantId, HEALTH_WINDOW_HOURS).then((r) => r.data)
        : Promise.resolve([]),
    [merchantId],
  );
  const [dialog, setDialog] = useState<Dialog>(null);
  const [logVersion, setLogVersion] = useState(0);
  const [sinceValues, setSinceValues] = useState<Record<string, string>>({});
  const [sinceErrors, setSinceErrors] = useState<Record<string, string>>({});

  const pickMerchant = (event: Event) => {
    const id = (event.currentTarget as HTMLSelectElement).value;
    navigate(href('/webhooks', { merchant_id: id }));
  };
  const refreshAll = () => {
    endpoints.reload();
    setLogVersion((n) => n + 1);
  };

  return (
    <>
      <PageTitle>{t('webhooks.title')}</PageTitle>
      <div class="field">
        <label for="webhooks-merchant">{t('webhooks.merchant')}</label>
        <select id="webhooks-merchant" value={merchantId} onChange={pickMerchant}>
          <option value="">{t('webhooks.pickMerchant')}</option>
          {(merchants.data ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorText error={merchants.error} />
      <p>
        <Link href={href('/webhooks/dead')}>{t('webhooks.deadLink')}</Link>
      </p>

      {merchantId && (
        <>
          <section aria-labelledby="endpoints-title">
            <h2 id="endpoints-title">{t('webhooks.endpoints')}</h2>
            <p>
              <button type="button" class="primary" onClick={() => setDialog({ kind: 'add' })}>
                {t('webhooks.add')}
              </button>
            </p>
            <ErrorText error={endpoints.error} />
            {endpoints.data && (
              <Table<WebhookJson>
                caption={t('webhooks.endpoints')}
                captionHidden
                rows={endpoints.data}
                rowKey={(e) => e.id}
                empty={t('webhooks.noEndpoints')}
                columns={[
                  {
                    label: t('webhooks.endpoint'),
                    primary: true,
                    render: (e) => (
                      <>
                        <strong>{endpointName(e)}</strong>
                        <br />
                        <code class="url" dir="ltr">
                          {e.url}
                        </code>
                        {e.secret_prefix && (
                          <>
                            <br />
                            <span class="muted">
                              {t('webhooks.secretPrefix')}:{' '}
                              <code dir="ltr">{e.secret_prefix}…</code>
                            </span>
                          </>
                        )}
                      </>
                    ),
                  },
                  { label: t('webhooks.format'), render: (e) => codeLabel(t, 'format', e.format) },
                  {
                    label: t('webhooks.state'),
                    render: (e) => <Badge status={e.enabled ? 'enabled' : 'disabled'} />,
                  },
                  {
                    label: t('webhooks.successRate', { hours: HEALTH_WINDOW_HOURS }),
                    render: (e) =>
                      e.health ? (
                        <>
                          {formatPercent(e.health.success_rate, lang)}
                          <br />
                          <span class="muted">
                            {t('webhooks.attemptsCount', {
                              succeeded: formatNumber(e.health.succeeded, lang),
                              attempts: formatNumber(e.health.attempts, lang),
                            })}
                          </span>
                        </>
                      ) : (
                        '—'
                      ),
                  },
                  {
                    label: t('webhooks.pendingDead'),
                    render: (e) =>
                      e.health
                        ? `${formatNumber(e.health.pending, lang)} / ${formatNumber(e.health.dead, lang)}`
                        : '—',
                  },
                  {
                    label: t('webhooks.lastFailure'),
                    render: (e) =>
                      e.health?.last_failure ? (
                        <>
                          {formatInstant(e.health.last_failure.at, lang)}
                          <br />
                          <span class="muted">
                            {[e.health.last_failure.status_code, e.health.last_failure.error]
                              .filter((x) => x !== null)
                              .join(' · ')}
                          </span>
                        </>
                      ) : (
                        t('webhooks.noFailure')
                      ),
                  },
                  {
                    label: t('webhooks.actions'),
                    render: (e) => (
                      <div class="row-actions">
                        <button
                          type="button"
                          onClick={() => setDialog({ kind: 'toggle', endpoint: e })}
                        >
                          {e.enabled ? t('webhooks.disable') : t('webhooks.enable')}
                          <span class="visually-hidden"> {endpointName(e)}</span>
                        </button>
                        <button
                          type="button"
                          onClick={() => setDialog({ kind: 'rotate', endpoint: e })}
                        >
                          {t('webhooks.rotate')}
                          <span class="visually-hidden"> {endpointName(e)}</span>
                        </button>
                        <form
                          class="inline-form"
                          onSubmit={(event) => {
                            event.preventDefault();
                            const since = localDateTimeToIso(sinceValues[e.id] ?? '');
                            if (!since) {
                              setSinceErrors({
                                ...sinceErrors,
                                [e.id]: t('webhooks.replaySinceRequired'),
                              });
                              return;
                            }
                            setSinceErrors({ ...sinceErrors, [e.id]: '' });
                            setDialog({ kind: 'since', endpoint: e, since });
                          }}
                        >
                          <label for={`since-${e.id}`}>{t('webhooks.replaySince')}</label>
                          <input
                            id={`since-${e.id}`}
                            type="datetime-local"
                            step={1}
                            value={sinceValues[e.id] ?? ''}
                            aria-describedby={`since-${e.id}-error`}
                            onInput={(event) =>
                              setSinceValues({
                                ...sinceValues,
                                [e.id]: (event.target as HTMLInputElement).value,
                              })
                            }
                          />
                          <button type="submit">
                            {t('webhooks.replaySinceButton')}
                            <span class="visually-hidden"> {endpointName(e)}</span>
                          </button>
                          <p id={`since-${e.id}-error`} class="field-error">
                            {sinceErrors[e.id] ?? ''}
                          </p>
                        </form>
                      </div>
                    ),
                  },
                ]}
              />
            )}
          </section>
          <DeliveryLog
            key={merchantId}
            merchantId={merchantId}
            version={logVersion}
            endpoints={endpoints.data ?? []}
            onReplay={(delivery) => setDialog({ kind: 'replay', delivery })}
          />
        </>
      )}

      {dialog?.kind === 'toggle' && (
        <ConfirmDialog
          title={t(dialog.endpoint.enabled ? 'webhooks.disableTitle' : 'webhooks.enableTitle', {
            name: endpointName(dialog.endpoint),
          })}
          description={t(dialog.endpoint.enabled ? 'webhooks.disableText' : 'webhooks.enableText')}
          confirmLabel={dialog.endpoint.enabled ? t('webhooks.disable') : t('webhooks.enable')}
          dismissLabel={t('webhooks.keep')}
          danger={dialog.endpoint.enabled}
          onClose={() => setDialog(null)}
          onConfirm={async ({ reason, keyFor }) => {
            const enabled = !dialog.endpoint.enabled;
            await setWebhookEnabled(
              dialog.endpoint,
              enabled,
              reason,
              keyFor({ id: dialog.endpoint.id, enabled, reason }),
            );
            announce(
              t(enabled ? 'webhooks.enabled' : 'webhooks.disabled', {
                name: endpointName(dialog.endpoint),
              }),
            );
            refreshAll();
          }}
        />
      )}
      {dialog?.kind === 'since' && (
        <ConfirmDialog
          title={t('webhooks.replaySinceTitle', {
            since: formatInstant(dialog.since, lang),
            name: endpointName(dialog.endpoint),
          })}
          description={t('webhooks.replaySinceText')}
          confirmLabel={t('webhooks.replaySinceButton')}
          dismissLabel={t('replay.keep')}
          onClose={() => setDialog(null)}
          onConfirm={async ({ reason, keyFor }) => {
            const result = await replayWebhookSince(
              dialog.endpoint.id,
              dialog.since,
              reason,
              keyFor({ id: dialog.endpoint.id, since: dialog.since, reason }),
            );
            announce(t('webhooks.replaySinceDone', result));
            refreshAll();
          }}
        />
      )}
      {dialog?.kind === 'replay' && (
        <ReplayDialog
          delivery={dialog.delivery}
          onClose={() => setDialog(null)}
          onDone={refreshAll}
        />
      )}
      {dialog?.kind === 'add' && (
        <AddEndpointDialog
          merchantId={merchantId}
          onClose={() => setDialog((d) => (d?.kind === 'add' ? null : d))}
          onAdded={(endpoint) => {
            setDialog({ kind: 'secret', endpoint });
            refreshAll();
          }}
        />
      )}
      {dialog?.kind === 'rotate' && (
        <RotateSecretDialog
          endpoint={dialog.endpoint}
          onClose={() => setDialog((d) => (d?.kind === 'rotate' ? null : d))}
          onRotated={(endpoint) => {
            setDialog({ kind: 'secret', endpoint });
            refreshAll();
          }}
        />
      )}
      {dialog?.kind === 'secret' && (
        <SecretDialog endpoint={dialog.endpoint} onClose={() => setDialog(null)} />
      )}
    </>
  );
}

type LogFilters = Pick<DeliverySearch, 'endpoint_id' | 'type' | 'status'> & {
  readonly fromDay?: string;
  readonly toDay?: string;
};

function DeliveryLog(props: {
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
      <form class="filters" onSubmit={submit}>
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

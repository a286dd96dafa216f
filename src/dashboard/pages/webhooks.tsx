/**
 * Webhooks: a merchant's endpoints with their health, disable/enable, replay since a time, and
 * the delivery log (newest first) with filters, keyset pages and replay of one delivery. Every
 * action is confirmed with a reason, recorded by the server as an admin action.
 */
import { useState } from 'preact/hooks';
import { listWebhooks, merchantsOnce, replayWebhookSince, setWebhookEnabled } from '../admin.js';
import {
  announce,
  ConfirmDialog,
  ErrorText,
  Link,
  PageTitle,
  Table,
  useLoad,
} from '../components.js';
import { formatInstant } from '../format.js';
import { useI18n } from '../i18n.js';
import { href, navigate, useLocation } from '../router.js';
import type { DeliveryJson, WebhookJson } from '../types.js';
import { ReplayDialog } from './timeline.js';
import { AddEndpointDialog, RotateSecretDialog, SecretDialog } from './webhook-endpoint-dialogs.js';
import {
  EndpointActions,
  endpointColumns,
  type EndpointDialog,
  endpointName,
  HEALTH_WINDOW_HOURS,
  useSinceInputs,
} from './webhook-endpoints.js';
import { DeliveryLog } from './webhook-log.js';

type Dialog =
  | EndpointDialog
  | { kind: 'replay'; delivery: DeliveryJson }
  | { kind: 'add' }
  | { kind: 'secret'; endpoint: WebhookJson }
  | null;

export function Webhooks() {
  const { t } = useI18n();
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
  const since = useSinceInputs();

  const refreshAll = () => {
    endpoints.reload();
    setLogVersion((n) => n + 1);
  };

  return (
    <>
      <PageTitle>{t('webhooks.title')}</PageTitle>
      <MerchantPicker merchantId={merchantId} merchants={merchants.data ?? []} />
      <ErrorText error={merchants.error} />
      <p>
        <Link href={href('/webhooks/dead')}>{t('webhooks.deadLink')}</Link>
      </p>

      {merchantId && (
        <>
          <EndpointsSection
            endpoints={endpoints}
            since={since}
            onAdd={() => setDialog({ kind: 'add' })}
            onDialog={setDialog}
          />
          <DeliveryLog
            key={merchantId}
            merchantId={merchantId}
            version={logVersion}
            endpoints={endpoints.data ?? []}
            onReplay={(delivery) => setDialog({ kind: 'replay', delivery })}
          />
        </>
      )}

      <WebhookDialogs
        dialog={dialog}
        merchantId={merchantId}
        setDialog={setDialog}
        refreshAll={refreshAll}
      />
    </>
  );
}

/** The merchant whose webhooks are shown, kept in the URL. */
function MerchantPicker(props: {
  merchantId: string;
  merchants: readonly { readonly id: string; readonly name: string }[];
}) {
  const { t } = useI18n();
  const pickMerchant = (event: Event) => {
    const id = (event.currentTarget as HTMLSelectElement).value;
    navigate(href('/webhooks', { merchant_id: id }));
  };
  return (
    <div class="field">
      <label for="webhooks-merchant">{t('webhooks.merchant')}</label>
      <select id="webhooks-merchant" value={props.merchantId} onChange={pickMerchant}>
        <option value="">{t('webhooks.pickMerchant')}</option>
        {props.merchants.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The merchant's endpoints, with the button that adds one. */
function EndpointsSection(props: {
  endpoints: ReturnType<typeof useLoad<readonly WebhookJson[]>>;
  since: ReturnType<typeof useSinceInputs>;
  onAdd: () => void;
  onDialog: (dialog: EndpointDialog) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">{t('webhooks.endpoints')}</h2>
      <p>
        <button type="button" class="primary" onClick={props.onAdd}>
          {t('webhooks.add')}
        </button>
      </p>
      <ErrorText error={props.endpoints.error} />
      {props.endpoints.data && (
        <Table<WebhookJson>
          caption={t('webhooks.endpoints')}
          captionHidden
          rows={props.endpoints.data}
          rowKey={(e) => e.id}
          empty={t('webhooks.noEndpoints')}
          columns={endpointColumns(t, lang, (e) => (
            <EndpointActions endpoint={e} since={props.since} onDialog={props.onDialog} />
          ))}
        />
      )}
    </section>
  );
}

/** The dialog the page has open, if any. */
function WebhookDialogs(props: {
  dialog: Dialog;
  merchantId: string;
  setDialog: (update: Dialog | ((d: Dialog) => Dialog)) => void;
  refreshAll: () => void;
}) {
  const { dialog, setDialog, refreshAll } = props;
  const showSecret = (endpoint: WebhookJson) => {
    setDialog({ kind: 'secret', endpoint });
    refreshAll();
  };
  switch (dialog?.kind) {
    case 'toggle':
      return (
        <ToggleDialog
          endpoint={dialog.endpoint}
          onClose={() => setDialog(null)}
          onDone={refreshAll}
        />
      );
    case 'since':
      return (
        <ReplaySinceDialog
          endpoint={dialog.endpoint}
          since={dialog.since}
          onClose={() => setDialog(null)}
          onDone={refreshAll}
        />
      );
    case 'replay':
      return (
        <ReplayDialog
          delivery={dialog.delivery}
          onClose={() => setDialog(null)}
          onDone={refreshAll}
        />
      );
    case 'add':
      return (
        <AddEndpointDialog
          merchantId={props.merchantId}
          onClose={() => setDialog((d) => (d?.kind === 'add' ? null : d))}
          onAdded={showSecret}
        />
      );
    case 'rotate':
      return (
        <RotateSecretDialog
          endpoint={dialog.endpoint}
          onClose={() => setDialog((d) => (d?.kind === 'rotate' ? null : d))}
          onRotated={showSecret}
        />
      );
    case 'secret':
      return <SecretDialog endpoint={dialog.endpoint} onClose={() => setDialog(null)} />;
    default:
      return null;
  }
}

function ToggleDialog(props: { endpoint: WebhookJson; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const endpoint = props.endpoint;
  return (
    <ConfirmDialog
      title={t(endpoint.enabled ? 'webhooks.disableTitle' : 'webhooks.enableTitle', {
        name: endpointName(endpoint),
      })}
      description={t(endpoint.enabled ? 'webhooks.disableText' : 'webhooks.enableText')}
      confirmLabel={endpoint.enabled ? t('webhooks.disable') : t('webhooks.enable')}
      dismissLabel={t('webhooks.keep')}
      danger={endpoint.enabled}
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        const enabled = !endpoint.enabled;
        await setWebhookEnabled(
          endpoint,
          enabled,
          reason,
          keyFor({ id: endpoint.id, enabled, reason }),
        );
        announce(
          t(enabled ? 'webhooks.enabled' : 'webhooks.disabled', { name: endpointName(endpoint) }),
        );
        props.onDone();
      }}
    />
  );
}

function ReplaySinceDialog(props: {
  endpoint: WebhookJson;
  since: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { endpoint, since } = props;
  return (
    <ConfirmDialog
      title={t('webhooks.replaySinceTitle', {
        since: formatInstant(since, lang),
        name: endpointName(endpoint),
      })}
      description={t('webhooks.replaySinceText')}
      confirmLabel={t('webhooks.replaySinceButton')}
      dismissLabel={t('replay.keep')}
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        const result = await replayWebhookSince(
          endpoint.id,
          since,
          reason,
          keyFor({ id: endpoint.id, since, reason }),
        );
        announce(t('webhooks.replaySinceDone', result));
        props.onDone();
      }}
    />
  );
}

/**
 * Adding a webhook endpoint and rotating its secret from the dashboard. The server answers the
 * new secret only in that one answer (it is never listed), so the page shows it once, in a dialog
 * the operator closes after copying it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { RETRY_POLICIES, WEBHOOK_FORMATS } from '../../domain/webhooks.js';
import { createWebhook, rotateWebhookSecret } from '../admin.js';
import { announce, ConfirmDialog, FieldError, issuesFor } from '../components.js';
import { useI18n } from '../i18n.js';
import type { WebhookJson } from '../types.js';
import { endpointName } from './webhook-endpoints.js';

export function AddEndpointDialog(props: {
  merchantId: string;
  onClose: () => void;
  onAdded: (endpoint: WebhookJson) => void;
}) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [format, setFormat] = useState<string>('standard');
  const [policy, setPolicy] = useState<string>('standard');
  return (
    <ConfirmDialog
      title={t('webhooks.addTitle')}
      description={t('webhooks.addText')}
      confirmLabel={t('webhooks.addConfirm')}
      dismissLabel={t('common.goBack')}
      withReason={false}
      onClose={props.onClose}
      onConfirm={async () => {
        if (url.trim() === '') throw new FieldError('url', t('webhooks.urlRequired'));
        const created = await createWebhook(props.merchantId, {
          url: url.trim(),
          name: name.trim() || null,
          format,
          retry_policy: policy,
        });
        announce(t('webhooks.added', { name: endpointName(created) }));
        props.onAdded(created);
      }}
    >
      {(error) => {
        return (
          <>
            <UrlField value={url} issues={issuesFor(error, 'url')} onInput={setUrl} />
            <div class="field">
              <label for="endpoint-name">{t('webhooks.name')}</label>
              <input
                id="endpoint-name"
                type="text"
                maxLength={255}
                value={name}
                onInput={(e) => setName((e.target as HTMLInputElement).value)}
              />
            </div>
            <Choice
              id="endpoint-format"
              label={t('webhooks.format')}
              value={format}
              options={WEBHOOK_FORMATS.map((f) => [f, t(`format.${f}`)] as const)}
              onChange={setFormat}
            />
            <Choice
              id="endpoint-policy"
              label={t('webhooks.retryPolicy')}
              value={policy}
              options={RETRY_POLICIES.map((p) => [p, t(`policy.${p}`)] as const)}
              onChange={setPolicy}
            />
          </>
        );
      }}
    </ConfirmDialog>
  );
}

/** The endpoint's URL, required, with its issues. */
function UrlField(props: {
  value: string;
  issues: readonly string[];
  onInput: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for="endpoint-url">{t('webhooks.url')}</label>
      <input
        id="endpoint-url"
        type="url"
        dir="ltr"
        required
        maxLength={2048}
        value={props.value}
        aria-invalid={props.issues.length > 0 ? 'true' : undefined}
        aria-describedby="endpoint-url-error"
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      <p id="endpoint-url-error" class="field-error">
        {props.issues.join(' ')}
      </p>
    </div>
  );
}

/** A labelled drop-down of fixed choices. */
function Choice(props: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [value: string, label: string])[];
  onChange: (value: string) => void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RotateSecretDialog(props: {
  endpoint: WebhookJson;
  onClose: () => void;
  onRotated: (endpoint: WebhookJson) => void;
}) {
  const { t } = useI18n();
  const { endpoint } = props;
  return (
    <ConfirmDialog
      title={t('webhooks.rotateTitle', { name: endpointName(endpoint) })}
      description={t('webhooks.rotateText')}
      confirmLabel={t('webhooks.rotateConfirm')}
      dismissLabel={t('webhooks.keep')}
      danger
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        const rotated = await rotateWebhookSecret(
          endpoint,
          reason,
          keyFor({ rotate: endpoint.id, reason }),
        );
        props.onRotated(rotated);
      }}
    />
  );
}

/** The secret of a just created or rotated endpoint: shown here once, never listed again. */
export function SecretDialog(props: { endpoint: WebhookJson; onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const dialog = ref.current!;
    const closed = () => onClose.current();
    dialog.addEventListener('close', closed);
    dialog.showModal();
    // Selected, so a copy takes it whole.
    (dialog.querySelector('#endpoint-secret') as HTMLInputElement | null)?.select();
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="confirm secret"
      aria-labelledby="secret-title"
      aria-describedby="secret-text"
    >
      <form method="dialog">
        <h2 id="secret-title">
          {t('webhooks.secretTitle', { name: endpointName(props.endpoint) })}
        </h2>
        <p id="secret-text">{t('webhooks.secretText')}</p>
        <div class="field">
          <label for="endpoint-secret">{t('webhooks.secretLabel')}</label>
          <input
            id="endpoint-secret"
            type="text"
            dir="ltr"
            readOnly
            autocomplete="off"
            spellcheck={false}
            value={props.endpoint.secret ?? ''}
          />
        </div>
        <div class="dialog-actions">
          <button type="submit" class="primary">
            {t('webhooks.secretDone')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/**
 * API keys: a merchant's credentials on every face (prefix, face and kind, permissions, IP
 * whitelist, created, active or revoked), newest first. Admins also issue an MPG key with some
 * permissions and an optional whitelist (shown once) and revoke a key, confirmed with a reason
 * that the server records as an admin action; other roles read the list without the buttons, as
 * the admin API would refuse them (403 auth.role_forbidden).
 */
import { useState } from 'preact/hooks';
import { merchantsOnce } from '../admin.js';
import { sessionOperator } from '../api.js';
import {
  type CredentialJson,
  type IssuedKeyJson,
  merchantCredentials,
  revokeCredential,
} from '../api-keys-api.js';
import {
  announce,
  Badge,
  ConfirmDialog,
  ErrorText,
  PageTitle,
  Table,
  useLoad,
} from '../components.js';
import { formatInstant } from '../format.js';
import { codeLabel, isMessageKey, type Lang, type Translate, useI18n } from '../i18n.js';
import { href, navigate, useLocation } from '../router.js';
import { IssueKeyForm, KeyOnceDialog } from './api-key-issue.js';

type Dialog =
  { kind: 'revoke'; credential: CredentialJson } | { kind: 'once'; issued: IssuedKeyJson } | null;

/** Newest first; ids (UUIDv7) break a tie in creation time the same way. */
const newestFirst = (a: CredentialJson, b: CredentialJson) =>
  b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);

/** A permission in words (a code this dashboard does not know is shown as sent). */
function permissionText(t: Translate, permission: string): string {
  const key = `permission.${permission}`;
  return isMessageKey(key) ? t(key) : permission;
}

/** A list of short values, one a line (codes and addresses read left to right). */
function Lines(props: { values: readonly string[]; code?: boolean }) {
  return (
    <ul class="plain-list">
      {props.values.map((v) => (
        <li key={v}>{props.code ? <code dir="ltr">{v}</code> : v}</li>
      ))}
    </ul>
  );
}

function keyColumns(t: Translate, lang: Lang, onRevoke?: (c: CredentialJson) => void) {
  return [
    {
      label: t('apiKeys.key'),
      primary: true,
      render: (c: CredentialJson) => (
        <code class="key-prefix" dir="ltr">
          {c.prefix}…
        </code>
      ),
    },
    {
      label: t('apiKeys.face'),
      render: (c: CredentialJson) =>
        `${codeLabel(t, 'face', c.dialect)} · ${t(`apiKeys.kind.${c.kind}`)}`,
    },
    {
      label: t('apiKeys.permissions'),
      render: (c: CredentialJson) =>
        c.dialect === 'mpg' && c.permissions.length > 0 ? (
          <Lines values={c.permissions.map((p) => permissionText(t, p))} />
        ) : (
          t('apiKeys.allOfFace')
        ),
    },
    {
      label: t('apiKeys.whitelist'),
      render: (c: CredentialJson) =>
        c.ip_whitelist === null ? t('apiKeys.anyAddress') : <Lines values={c.ip_whitelist} code />,
    },
    {
      label: t('apiKeys.created'),
      render: (c: CredentialJson) => formatInstant(c.created_at, lang),
    },
    {
      label: t('apiKeys.state'),
      render: (c: CredentialJson) =>
        c.revoked_at === null ? (
          <Badge status="active" />
        ) : (
          <>
            <Badge status="revoked" />
            <br />
            <span class="muted">
              {t('apiKeys.revokedAt', { when: formatInstant(c.revoked_at, lang) })}
            </span>
          </>
        ),
    },
    ...(onRevoke
      ? [
          {
            label: t('apiKeys.actions'),
            render: (c: CredentialJson) =>
              c.revoked_at === null ? (
                <button type="button" class="danger" onClick={() => onRevoke(c)}>
                  {t('apiKeys.revoke')}
                  <span class="visually-hidden"> {c.prefix}…</span>
                </button>
              ) : (
                '—'
              ),
          },
        ]
      : []),
  ];
}

/** Revoking one key, confirmed with a reason (the server records it with the admin action). */
function RevokeDialog(props: {
  merchantId: string;
  credential: CredentialJson;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const { t } = useI18n();
  const { credential } = props;
  return (
    <ConfirmDialog
      title={t('apiKeys.revokeTitle', { prefix: credential.prefix })}
      description={t('apiKeys.revokeText')}
      confirmLabel={t('apiKeys.revokeConfirm')}
      dismissLabel={t('apiKeys.keep')}
      danger
      onClose={props.onClose}
      onConfirm={async ({ reason, keyFor }) => {
        await revokeCredential(
          props.merchantId,
          credential.id,
          reason,
          keyFor({ revoke: credential.id, reason }),
        );
        announce(t('apiKeys.revokedDone', { prefix: credential.prefix }));
        props.onRevoked();
      }}
    />
  );
}

function MerchantPicker(props: { merchantId: string }) {
  const { t } = useI18n();
  const merchants = useLoad(() => merchantsOnce(), []);
  const pick = (event: Event) => {
    const id = (event.currentTarget as HTMLSelectElement).value;
    navigate(href('/api-keys', { merchant_id: id }));
  };
  return (
    <>
      <div class="field">
        <label for="keys-merchant">{t('apiKeys.merchant')}</label>
        <select id="keys-merchant" value={props.merchantId} onChange={pick}>
          <option value="">{t('apiKeys.pickMerchant')}</option>
          {(merchants.data ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorText error={merchants.error} />
    </>
  );
}

function KeysList(props: {
  keys: ReturnType<typeof useLoad<CredentialJson[]>>;
  onRevoke: ((credential: CredentialJson) => void) | undefined;
}) {
  const { t, lang } = useI18n();
  const { keys } = props;
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{t('apiKeys.listTitle')}</h2>
      <ErrorText error={keys.error} />
      {keys.data && (
        <div aria-busy={keys.loading ? 'true' : 'false'}>
          <Table<CredentialJson>
            caption={t('apiKeys.caption')}
            captionHidden
            rows={keys.data}
            rowKey={(c) => c.id}
            empty={t('apiKeys.empty')}
            columns={keyColumns(t, lang, props.onRevoke)}
          />
        </div>
      )}
    </section>
  );
}

export function ApiKeys() {
  const { t } = useI18n();
  const location = useLocation();
  const merchantId = location.query.get('merchant_id') ?? '';
  // Only admins issue and revoke: others see the list and are told so without asking the server.
  const canManage = sessionOperator?.role === 'admin';
  const keys = useLoad<CredentialJson[]>(
    () =>
      merchantId
        ? merchantCredentials(merchantId).then((list) => [...list].sort(newestFirst))
        : Promise.resolve([]),
    [merchantId],
  );
  const [dialog, setDialog] = useState<Dialog>(null);
  return (
    <>
      <PageTitle>{t('apiKeys.title')}</PageTitle>
      <p>{t('apiKeys.intro')}</p>
      <MerchantPicker merchantId={merchantId} />
      {merchantId && (
        <>
          {!canManage && (
            <p class="notice" role="status">
              {t('apiKeys.readOnly')}
            </p>
          )}
          <KeysList
            keys={keys}
            onRevoke={
              canManage ? (credential) => setDialog({ kind: 'revoke', credential }) : undefined
            }
          />
          {canManage && (
            <IssueKeyForm
              key={merchantId}
              merchantId={merchantId}
              onIssued={(issued) => {
                setDialog({ kind: 'once', issued });
                keys.reload();
              }}
            />
          )}
        </>
      )}
      {dialog?.kind === 'once' && (
        <KeyOnceDialog issued={dialog.issued} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'revoke' && (
        <RevokeDialog
          merchantId={merchantId}
          credential={dialog.credential}
          onClose={() => setDialog((d) => (d?.kind === 'revoke' ? null : d))}
          onRevoked={keys.reload}
        />
      )}
    </>
  );
}

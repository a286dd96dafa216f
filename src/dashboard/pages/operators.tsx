/**
 * Operators (admins only): the team with roles, limits, two-step sign-in and state; invite one
 * (the invite token is shown once); disable or enable one (disabling signs it out at once).
 */
import { useState } from 'preact/hooks';
import type { ApiError } from '../api.js';
import { sessionOperator } from '../api.js';
import {
  announce,
  type Column,
  ErrorText,
  PageTitle,
  Table,
  toActionError,
  type ActionError,
  useLoad,
} from '../components.js';
import { type Translate, useI18n } from '../i18n.js';
import {
  inviteOperator,
  listOperators,
  type OperatorJson,
  type Role,
  setOperatorDisabled,
} from '../operators-api.js';

const ROLES: readonly Role[] = ['viewer', 'support', 'admin'];

function RoleSelect(props: { value: Role; onChange: (role: Role) => void }) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for="operator-role">{t('operators.role')}</label>
      <select
        id="operator-role"
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as Role)}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

function InviteForm(props: { onInvited: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [limit, setLimit] = useState('');
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const limitMinor = limit.trim() === '' ? undefined : Number(limit.trim());
      const body = {
        name: name.trim(),
        role,
        ...(limitMinor === undefined ? {} : { limit_minor: limitMinor }),
      };
      const invited = await inviteOperator(body, crypto.randomUUID());
      setShown({ name: invited.name, token: invited.invite_token });
      setName('');
      props.onInvited();
    } catch (e) {
      setError(toActionError(e));
    }
  };
  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">{t('operators.invite')}</h2>
      <form onSubmit={submit} class="inline-form">
        <div class="field">
          <label for="operator-name">{t('operators.name')}</label>
          <input
            id="operator-name"
            dir="ltr"
            required
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </div>
        <RoleSelect value={role} onChange={setRole} />
        <div class="field">
          <label for="operator-limit">{t('operators.limit')}</label>
          <input
            id="operator-limit"
            dir="ltr"
            inputMode="numeric"
            value={limit}
            onInput={(e) => setLimit((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" class="primary">
          {t('operators.inviteSubmit')}
        </button>
      </form>
      <ErrorText error={error} />
      {shown && (
        <p class="notice" role="status">
          {t('operators.inviteToken', { name: shown.name })} <code dir="ltr">{shown.token}</code>
        </p>
      )}
    </section>
  );
}

export function Operators() {
  const { t } = useI18n();
  // Only admins manage operators: others are told so without asking the server (which would
  // answer 403 auth.role_forbidden anyway).
  const forbidden = sessionOperator?.role !== 'admin';
  const { data, error, reload } = useLoad(
    () => (forbidden ? Promise.resolve({ data: [] }) : listOperators()),
    [forbidden],
  );
  const toggle = async (o: OperatorJson) => {
    const changed = await setOperatorDisabled(o.id, !o.disabled);
    announce(
      t('operators.changed', {
        name: o.name,
        state: t(changed.disabled ? 'operators.disabled' : 'operators.active'),
      }),
    );
    reload();
  };
  return (
    <>
      <PageTitle>{t('operators.title')}</PageTitle>
      {forbidden ? (
        <p class="notice" role="status">
          {t('operators.forbidden')}
        </p>
      ) : (
        <>
          <ErrorText error={error} />
          <InviteForm onInvited={reload} />
          <Table
            caption={t('operators.caption')}
            rows={data?.data ?? []}
            rowKey={(o) => o.id}
            empty={t('operators.empty')}
            columns={operatorColumns(t, toggle)}
          />
        </>
      )}
    </>
  );
}

function operatorColumns(
  t: Translate,
  toggle: (o: OperatorJson) => Promise<void>,
): Column<OperatorJson>[] {
  return [
    {
      label: t('operators.name'),
      primary: true,
      render: (o) => <span dir="ltr">{o.name}</span>,
    },
    { label: t('operators.role'), render: (o) => t(`role.${o.role}`) },
    {
      label: t('operators.limitShort'),
      render: (o) => (o.limit_minor === null ? t('operators.noLimit') : String(o.limit_minor)),
    },
    {
      label: t('operators.totp'),
      render: (o) => t(o.totp_enabled ? 'operators.on' : 'operators.off'),
    },
    {
      label: t('operators.state'),
      render: (o) =>
        t(
          o.disabled
            ? 'operators.disabled'
            : o.invite_pending
              ? 'operators.invited'
              : 'operators.active',
        ),
    },
    {
      label: t('operators.actions'),
      render: (o) => (
        <button
          type="button"
          onClick={() => void toggle(o).catch((e: ApiError) => announce(e.message))}
        >
          {t(o.disabled ? 'operators.enable' : 'operators.disable', { name: o.name })}
        </button>
      ),
    },
  ];
}

/**
 * Sign-in: an operator's name and password (and the one-time code once the server asks for it),
 * or, for the bootstrap admin, the admin token.
 */
import { useState } from 'preact/hooks';
import { ApiError, signIn, type SignInCredentials } from '../api.js';
import { PageTitle } from '../components.js';
import { useI18n } from '../i18n.js';

function Field(props: {
  id: string;
  label: string;
  type: string;
  value: string;
  onInput: (value: string) => void;
  autocomplete: string;
  hint?: string;
  inputMode?: 'numeric';
  invalid: boolean;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type}
        autocomplete={props.autocomplete}
        dir="ltr"
        required
        value={props.value}
        inputMode={props.inputMode}
        aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby={
          [props.hint ? `${props.id}-hint` : '', props.invalid ? 'sign-in-error' : '']
            .join(' ')
            .trim() || undefined
        }
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** What the form holds; the page's state, so switching ways of signing in keeps it. */
function useCredentialFields() {
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  return { token, setToken, name, setName, password, setPassword, code, setCode };
}

function credentialsOf(
  withToken: boolean,
  askCode: boolean,
  { token, name, password, code }: ReturnType<typeof useCredentialFields>,
): SignInCredentials {
  return withToken
    ? { token }
    : { name: name.trim(), password, ...(askCode ? { code: code.trim() } : {}) };
}

/** The admin token, or an operator's name and password (and a code when the server asks). */
function CredentialInputs(props: {
  withToken: boolean;
  askCode: boolean;
  fields: ReturnType<typeof useCredentialFields>;
  invalid: boolean;
}) {
  const { t } = useI18n();
  const f = props.fields;
  return (
    <>
      {props.withToken ? (
        <Field
          id="token"
          label={t('signIn.token')}
          type="password"
          autocomplete="off"
          value={f.token}
          onInput={f.setToken}
          invalid={props.invalid}
        />
      ) : (
        <>
          <Field
            id="name"
            label={t('signIn.name')}
            type="text"
            autocomplete="username"
            value={f.name}
            onInput={f.setName}
            invalid={props.invalid}
          />
          <Field
            id="password"
            label={t('signIn.password')}
            type="password"
            autocomplete="current-password"
            value={f.password}
            onInput={f.setPassword}
            invalid={props.invalid}
          />
          {props.askCode && (
            <Field
              id="code"
              label={t('signIn.code')}
              type="text"
              autocomplete="one-time-code"
              inputMode="numeric"
              hint={t('signIn.codeHint')}
              value={f.code}
              onInput={f.setCode}
              invalid={props.invalid}
            />
          )}
        </>
      )}
    </>
  );
}

export function SignIn(props: {
  expired: boolean;
  onSignedIn: () => void;
  languageSwitch: preact.ComponentChildren;
}) {
  const { t } = useI18n();
  const [withToken, setWithToken] = useState(false);
  const fields = useCredentialFields();
  const [askCode, setAskCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await signIn(credentialsOf(withToken, askCode, fields));
      props.onSignedIn();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'auth.code_required') setAskCode(true);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="sign-in-page">
      <div class="sign-in-tools">{props.languageSwitch}</div>
      <main id="main" class="sign-in">
        <PageTitle>{t('signIn.title')}</PageTitle>
        {props.expired && (
          <p class="notice" role="status">
            {t('signIn.expired')}
          </p>
        )}
        <form onSubmit={submit}>
          <CredentialInputs
            withToken={withToken}
            askCode={askCode}
            fields={fields}
            invalid={!!error}
          />
          {error && (
            <p id="sign-in-error" role="alert" class="field-error">
              {error}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
        <p>
          <button
            type="button"
            class="link"
            onClick={() => {
              setWithToken(!withToken);
              setError(null);
            }}
          >
            {withToken ? t('signIn.withName') : t('signIn.withToken')}
          </button>
        </p>
      </main>
    </div>
  );
}

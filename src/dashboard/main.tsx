/** The operator dashboard: a single-page app over the admin API, served at /dashboard. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, resumeSession, signIn, signOut, whenSignedOut } from './api.js';

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await signIn(token);
      onSignedIn();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Unwind</h1>
      <form onSubmit={submit}>
        <label for="token">Admin token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          aria-describedby={error ? 'sign-in-error' : undefined}
        />
        {error && (
          <p id="sign-in-error" role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}

function App() {
  const [state, setState] = useState<'loading' | 'signed-out' | 'signed-in'>('loading');
  useEffect(() => {
    whenSignedOut(() => setState('signed-out'));
    resumeSession().then(
      (s) => setState(s ? 'signed-in' : 'signed-out'),
      () => setState('signed-out'),
    );
  }, []);
  if (state === 'loading') return <p aria-busy="true">…</p>;
  if (state === 'signed-out') return <SignIn onSignedIn={() => setState('signed-in')} />;
  return (
    <main id="main">
      <h1>Unwind</h1>
      <button type="button" onClick={() => signOut().then(() => setState('signed-out'))}>
        Sign out
      </button>
    </main>
  );
}

render(<App />, document.getElementById('app')!);

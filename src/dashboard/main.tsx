/** The operator dashboard: a single-page app over the admin API, served at /dashboard. */
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiKeys } from './pages/api-keys.js';
import { Approvals } from './pages/approvals.js';
import { Operators } from './pages/operators.js';
import { SignIn } from './pages/sign-in.js';
import { resumeSession, sessionOperator, signOut, whenSignedOut } from './api.js';
import { Announcer, Link, PageTitle } from './components.js';
import { applyLang, I18n, type Lang, storedLang, translate, useI18n } from './i18n.js';
import { OrderPage } from './pages/order.js';
import { Orders } from './pages/orders.js';
import { Overview } from './pages/overview.js';
import { Reconciliation } from './pages/reconciliation.js';
import { Webhooks } from './pages/webhooks.js';
import { DeadDeliveries } from './pages/dead-deliveries.js';
import { href, type Location, useLocation } from './router.js';

function LanguageSwitch({ onSwitch }: { onSwitch: () => void }) {
  const { lang, t } = useI18n();
  const other: Lang = lang === 'en' ? 'ar' : 'en';
  return (
    // The visible name (the language's own) starts the accessible name, as WCAG 2.5.3 asks; the
    // rest says what the button does, in the current language.
    <button type="button" class="lang-switch" onClick={onSwitch}>
      <span lang={other}>{t('app.switchLanguage')}</span>
      <span class="visually-hidden"> — {t('app.switchLanguageLabel')}</span>
    </button>
  );
}

const NAV = [
  { path: '/', key: 'nav.overview' },
  { path: '/orders', key: 'nav.orders' },
  { path: '/webhooks', key: 'nav.webhooks' },
  { path: '/api-keys', key: 'nav.apiKeys' },
  { path: '/reconciliation', key: 'nav.reconciliation' },
  { path: '/approvals', key: 'nav.approvals' },
  { path: '/operators', key: 'nav.operators' },
] as const;

/** The nav entry a path belongs to (an order page belongs to Orders). */
const section = (path: string) =>
  NAV.slice(1).find((n) => path === n.path || path.startsWith(`${n.path}/`))?.path ?? '/';

function Route({ location }: { location: Location }) {
  const { t } = useI18n();
  const path = location.path.replace(/\/+$/, '') || '/';
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order) return <OrderPage id={decodeURIComponent(order[1]!)} />;
  switch (path) {
    case '/':
      return <Overview />;
    case '/orders':
      return <Orders />;
    case '/webhooks':
      return <Webhooks />;
    case '/webhooks/dead':
      return <DeadDeliveries />;
    case '/api-keys':
      return <ApiKeys />;
    case '/reconciliation':
      return <Reconciliation />;
    case '/approvals':
      return <Approvals />;
    case '/operators':
      return <Operators />;
    default:
      return (
        <>
          <PageTitle>{t('app.notFound')}</PageTitle>
          <p>{t('app.notFoundText')}</p>
        </>
      );
  }
}

/**
 * Focused by hand: with <base href="/dashboard/">, following "#main" would load /dashboard/ from
 * any other page.
 */
function SkipLink() {
  const { t } = useI18n();
  return (
    <a
      class="skip-link"
      href="#main"
      onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      {t('app.skip')}
    </a>
  );
}

/** Who is signed in, the language switch, and signing out. */
function SessionTools(props: { onSignOut: () => void; onSwitchLang: () => void }) {
  const { t } = useI18n();
  return (
    <div class="tools">
      {sessionOperator && (
        <span class="signed-in-as">
          {t('app.signedInAs', {
            name: sessionOperator.name,
            role: t(`role.${sessionOperator.role}`),
          })}
        </span>
      )}
      <LanguageSwitch onSwitch={props.onSwitchLang} />
      <button type="button" onClick={props.onSignOut}>
        {t('app.signOut')}
      </button>
    </div>
  );
}

function Shell(props: { onSignOut: () => void; onSwitchLang: () => void }) {
  const { t } = useI18n();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const current = section(location.path);
  const first = useRef(true);
  // A new page: close the phone menu and move focus to its heading, so keyboard and screen-reader
  // users start at the top of what changed. Not on the first load: the browser starts there.
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-title')?.focus();
  }, [location.path]);
  return (
    <>
      <SkipLink />
      <header class="top">
        <Link href={href('/')} class="brand">
          {t('app.name')}
        </Link>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen ? 'true' : 'false'}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('app.menu')}
        </button>
        <nav id="main-nav" aria-label={t('nav.label')} class={menuOpen ? 'open' : undefined}>
          <ul>
            {NAV.map((n) => (
              <li key={n.path}>
                <Link href={href(n.path)} aria-current={current === n.path ? 'page' : undefined}>
                  {t(n.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <SessionTools onSignOut={props.onSignOut} onSwitchLang={props.onSwitchLang} />
      </header>
      <main id="main" tabIndex={-1}>
        {/* A new page starts without the last page's announcement. */}
        <Announcer key={location.path} />
        <Route location={location} />
      </main>
    </>
  );
}

type SessionState = 'loading' | 'signed-out' | 'expired' | 'signed-in';

function App() {
  const [lang, setLang] = useState<Lang>(storedLang);
  const [state, setState] = useState<SessionState>('loading');
  const i18n = useMemo(() => ({ lang, t: translate(lang) }), [lang]);
  useEffect(() => applyLang(lang), [lang]);
  useEffect(() => {
    whenSignedOut(() => setState('expired'));
    resumeSession().then(
      (s) => setState(s ? 'signed-in' : 'signed-out'),
      () => setState('signed-out'),
    );
  }, []);
  const switchLang = () => setLang(lang === 'en' ? 'ar' : 'en');
  let body;
  if (state === 'loading') body = <p aria-busy="true">{i18n.t('app.loading')}</p>;
  else if (state === 'signed-in') {
    body = (
      <Shell
        onSwitchLang={switchLang}
        onSignOut={() =>
          signOut().then(
            () => setState('signed-out'),
            () => setState('signed-out'),
          )
        }
      />
    );
  } else {
    body = (
      <SignIn
        expired={state === 'expired'}
        onSignedIn={() => setState('signed-in')}
        languageSwitch={<LanguageSwitch onSwitch={switchLang} />}
      />
    );
  }
  return <I18n.Provider value={i18n}>{body}</I18n.Provider>;
}

render(<App />, document.getElementById('app')!);

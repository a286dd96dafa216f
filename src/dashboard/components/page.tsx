/** Pieces of every page: its title, links, facts, ids and countdowns. */
import { type ComponentChildren, Fragment, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatCountdown } from '../format.js';
import { useI18n } from '../i18n.js';
import { followLink } from '../router.js';

/**
 * The page's one h1. It takes focus after every route change (the shell does that), so a screen
 * reader announces the new page; the document title follows it.
 */
export function PageTitle({ children }: { children: string }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${children} · ${t('app.name')}`;
  }, [children, t]);
  return (
    <h1 id="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} onClick={followLink} />;
}

/** Time left until `targetMs` on the server's clock (`offsetMs` = server now − browser now). */
export function Countdown({ targetMs, offsetMs }: { targetMs: number; offsetMs: number }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const timer = window.setInterval(() => setNow(Date.now() + offsetMs), 1000);
    return () => window.clearInterval(timer);
  }, [offsetMs]);
  const left = targetMs - now;
  if (left <= 0) return <span class="countdown">{t('timeline.locked')}</span>;
  return (
    <span class="countdown" role="timer" data-remaining-ms={Math.round(left)}>
      {formatCountdown(left, t('timeline.dayUnit'))}
    </span>
  );
}

/** A definition list of label/value pairs. */
export function Facts({ items }: { items: readonly (readonly [string, ComponentChildren])[] }) {
  return (
    <dl class="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * An id (a UUID, a provider's reference) that wraps after its hyphens, the points a reader
 * splits it at, and mid-segment only when one segment alone is wider than the line.
 */
export function Id({ value }: { value: string }) {
  return (
    <code class="id" dir="ltr">
      {value.split('-').map((part, i) =>
        i === 0 ? (
          part
        ) : (
          <Fragment key={i}>
            -<wbr />
            {part}
          </Fragment>
        ),
      )}
    </code>
  );
}

/**
 * The hosted checkout's HTML: a plain server-rendered page per step (phone, code, wallet), each
 * form labelled and posting to its own step, errors announced with `role="alert"`. Nothing of a
 * wallet appears before the code step has been passed; a closed session's page names only its
 * state. Arabic and right to left unless the request asked for English (text.ts); a link
 * switches language on the same session, and the forms post in the language they were shown in.
 */
import type { CheckoutCustomer, CheckoutPage } from '../../../../app/points-checkout.js';
import { formatMinor } from '../../../../domain/money.js';
import type { CheckoutState } from '../../../../domain/points-checkout.js';
import { CHECKOUT_CODE_DIGITS } from '../../../../domain/points-checkout.js';
import { escapeHtml, htmlPage } from '../../../hosted-page.js';
import { type CheckoutLang, say, type TextKey } from './text.js';

// Logical properties only, so the same sheet lays out right to left; nothing wider than the
// screen (long shop names and order numbers wrap), for a 390 px phone.
const PAGE_CSS = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a;overflow-wrap:anywhere}
label{display:block;font-weight:600;margin-block-start:1rem}
input{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #555;border-radius:4px}
button{margin-block-start:1rem;font-size:1rem;padding:.6rem 1.2rem;background:#0b5394;color:#fff;border:0;border-radius:4px;cursor:pointer;max-width:100%}
button.secondary{background:#fff;color:#0b5394;border:1px solid #0b5394}
button:focus,input:focus,a:focus{outline:3px solid #f1c232;outline-offset:2px}
a{color:#0b5394}
.error{color:#a61c00;font-weight:600}
.language{text-align:end;margin:0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;min-width:0}`;

/** Paths of the steps' forms, relative to the server, in the page's language. */
export interface StepPaths {
  readonly page: string;
  readonly code: string;
  readonly verify: string;
  readonly cancel: string;
  /** The same page in the other language. */
  readonly otherLanguage: string;
  readonly lang: CheckoutLang;
}

export const stepPaths = (sessionId: string, lang: CheckoutLang = 'ar'): StepPaths => {
  const base = `/points/pay/${encodeURIComponent(sessionId)}`;
  const q = lang === 'en' ? '?lang=en' : '';
  return {
    page: `${base}${q}`,
    code: `${base}/code${q}`,
    verify: `${base}/verify${q}`,
    cancel: `${base}/cancel${q}`,
    otherLanguage: lang === 'en' ? base : `${base}?lang=en`,
    lang,
  };
};

/** The page in `lang`; `languageLink` is where the other language is, when there is a session. */
function checkoutPage(
  lang: CheckoutLang,
  title: string,
  body: string,
  languageLink: string | null,
): string {
  const other: CheckoutLang = lang === 'en' ? 'ar' : 'en';
  const link =
    languageLink === null
      ? ''
      : `<p class="language"><a href="${escapeHtml(languageLink)}" hreflang="${other}" lang="${other}">${escapeHtml(say(lang, 'otherLanguage'))}</a></p>\n`;
  return htmlPage({
    title: `${title} · ${say(lang, 'site')}`,
    css: PAGE_CSS,
    body: `${link}<h1>${escapeHtml(title)}</h1>\n${body}`,
    lang,
    dir: lang === 'ar' ? 'rtl' : 'ltr',
  });
}

type OpenPage = Extract<CheckoutPage, { state: 'open' }>;

/** Digits read left to right inside Arabic text. */
const ltr = (text: string) => `<bdi dir="ltr">${escapeHtml(text)}</bdi>`;

function summary(view: OpenPage, lang: CheckoutLang): string {
  const s = view.session;
  const money = (minor: number) => ltr(`${formatMinor(minor, s.currency)} ${s.currency}`);
  return `<dl>
<dt>${say(lang, 'merchant')}</dt><dd>${escapeHtml(view.merchantName)}</dd>
<dt>${say(lang, 'order')}</dt><dd>${ltr(s.orderNumber)}</dd>
<dt>${say(lang, 'total')}</dt><dd>${money(s.amountMinor)}</dd>
<dt>${say(lang, 'pointValue')}</dt><dd>${money(view.minorPerPoint)}</dd>
</dl>`;
}

const alertOf = (error: string | null): string =>
  error ? `<p class="error" role="alert" id="form-error">${escapeHtml(error)}</p>\n` : '';

const describedBy = (error: string | null, own: string) =>
  `aria-describedby="${own}${error ? ' form-error' : ''}"`;

function cancelForm(paths: StepPaths): string {
  return `<form method="post" action="${escapeHtml(paths.cancel)}">
<button type="submit" class="secondary">${escapeHtml(say(paths.lang, 'cancel'))}</button>
</form>`;
}

/** The steps of an open session. */
export type Step =
  | { readonly kind: 'phone'; readonly prefill: string | null }
  | { readonly kind: 'code'; readonly phone: string; readonly expiresAt: number }
  | { readonly kind: 'wallet'; readonly customer: CheckoutCustomer; readonly token: string }
  | { readonly kind: 'no_account'; readonly phone: string };

/** A sentence of the page with its values filled in and escaped; a phone reads left to right. */
function sentence(
  lang: CheckoutLang,
  key: TextKey,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return escapeHtml(say(lang, key)).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return name === 'phone' ? `<strong>${ltr(String(value))}</strong>` : escapeHtml(String(value));
  });
}

function phoneStep(paths: StepPaths, prefill: string | null, error: string | null): string {
  const lang = paths.lang;
  return `<form method="post" action="${escapeHtml(paths.code)}">
<label for="phone_number">${sentence(lang, 'phoneLabel')}</label>
<input id="phone_number" name="phone_number" type="tel" dir="ltr" inputmode="tel" autocomplete="tel" required value="${escapeHtml(prefill ?? '')}" ${describedBy(error, 'phone-help')}>
<p id="phone-help">${sentence(lang, 'phoneHelp')}</p>
<button type="submit">${sentence(lang, 'sendCode')}</button>
</form>`;
}

function codeStep(
  paths: StepPaths,
  phone: string,
  expiresAt: number,
  error: string | null,
): string {
  const lang = paths.lang;
  const time = new Date(expiresAt).toISOString().slice(11, 16);
  const digits = CHECKOUT_CODE_DIGITS;
  return `<p>${sentence(lang, 'codeSent', { digits, phone: `0${phone}`, time })}</p>
<form method="post" action="${escapeHtml(paths.verify)}">
<label for="code">${sentence(lang, 'codeLabel')}</label>
<input id="code" name="code" type="text" dir="ltr" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{${digits}}" maxlength="${digits}" required ${describedBy(error, 'code-help')}>
<p id="code-help">${sentence(lang, 'codeHelp', { digits })}</p>
<button type="submit">${sentence(lang, 'verify')}</button>
</form>
<form method="post" action="${escapeHtml(paths.code)}">
<input type="hidden" name="phone_number" value="${escapeHtml(phone)}">
<button type="submit" class="secondary">${sentence(lang, 'resend')}</button>
</form>`;
}

function walletStep(
  paths: StepPaths,
  customer: CheckoutCustomer,
  token: string,
  error: string | null,
): string {
  const lang = paths.lang;
  const max = customer.maxRedeemPoints;
  return `<p>${sentence(lang, 'balance', { phone: `0${customer.phone}` })} <strong>${customer.balance}</strong></p>
<form method="post" action="${escapeHtml(paths.page)}">
<input type="hidden" name="verification_token" value="${escapeHtml(token)}">
<label for="redeem_points">${sentence(lang, 'redeemLabel', { max })}</label>
<input id="redeem_points" name="redeem_points" type="number" dir="ltr" min="0" max="${max}" step="1" required value="${max}" ${describedBy(error, 'redeem-help')}>
<p id="redeem-help">${sentence(lang, 'redeemHelp')}</p>
<button type="submit">${sentence(lang, 'confirm')}</button>
</form>`;
}

function noAccountStep(paths: StepPaths): string {
  return `<p role="status">${sentence(paths.lang, 'noAccount')}</p>
<p>${sentence(paths.lang, 'otherNumber')}</p>
${phoneStep(paths, null, null)}`;
}

/** An open session's page at `step`, with `error` (in the page's language) above the form. */
export function openCheckoutHtml(
  view: OpenPage,
  paths: StepPaths,
  step: Step,
  error: string | null,
): string {
  let form: string;
  switch (step.kind) {
    case 'phone':
      form = phoneStep(paths, step.prefill, error);
      break;
    case 'code':
      form = codeStep(paths, step.phone, step.expiresAt, error);
      break;
    case 'wallet':
      form = walletStep(paths, step.customer, step.token, error);
      break;
    case 'no_account':
      form = noAccountStep(paths);
      break;
  }
  return checkoutPage(
    paths.lang,
    say(paths.lang, 'title'),
    `${summary(view, paths.lang)}\n${alertOf(error)}${form}\n${cancelForm(paths)}`,
    paths.otherLanguage,
  );
}

const CLOSED = {
  completed: ['completedTitle', 'completedText'],
  cancelled: ['cancelledTitle', 'cancelledText'],
  expired: ['expiredTitle', 'expiredText'],
} as const satisfies Record<Exclude<CheckoutState, 'open'>, readonly [string, string]>;

/** A closed session's page: its state and nothing else. */
export function closedCheckoutHtml(
  state: Exclude<CheckoutState, 'open'>,
  paths: StepPaths,
): string {
  const [title, text] = CLOSED[state];
  return checkoutPage(
    paths.lang,
    say(paths.lang, title),
    `<p role="status">${sentence(paths.lang, text)}</p>`,
    paths.otherLanguage,
  );
}

export const notFoundHtml = (lang: CheckoutLang): string =>
  checkoutPage(lang, say(lang, 'notFoundTitle'), `<p>${sentence(lang, 'notFoundText')}</p>`, null);

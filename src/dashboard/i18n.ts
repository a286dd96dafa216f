/**
 * Every string the dashboard shows, in English (i18n-en.ts) and Arabic (i18n-ar.ts). The Arabic
 * dictionary is typed as a complete record of the English keys, so a string missing from either
 * fails the typecheck.
 * `{name}` placeholders are filled by `translate`.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ar } from './i18n-ar.js';
import { en } from './i18n-en.js';

export type Lang = 'en' | 'ar';

export type MessageKey = keyof typeof en;
export type Dictionary = Readonly<Record<MessageKey, string>>;

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** The words for a code the API sends (`status.pending`, `code.matched`), or the code itself. */
export function codeLabel(t: Translate, prefix: CodePrefix, code: string): string {
  const key = `${prefix}.${code}`;
  if (isMessageKey(key)) return t(key);
  // A reconciliation run from the folder job is `folder:<file>`.
  if (prefix === 'source' && code.startsWith('folder:')) {
    return t('source.folder', { name: code.slice('folder:'.length) });
  }
  return code.replaceAll('_', ' ');
}

/**
 * Who acted, as the API labels it (`admin`, `customer`, `credential:<prefix>`, `job:<name>`), in
 * words; a label of another shape (a named operator) is shown as sent.
 */
export function actorText(t: Translate, actor: string): string {
  const [kind, ...rest] = actor.split(':');
  const detail = rest.join(':');
  if (actor === 'admin' || actor === 'customer') return t(`actor.${actor}`);
  if (kind === 'credential' && detail) return t('actor.credential', { prefix: detail });
  if (kind === 'job' && detail) return t('actor.job', { name: codeLabel(t, 'job', detail) });
  return actor;
}

/**
 * An API error as the operator reads it: in Arabic, the words for its code when there are some
 * (the API's messages are English); otherwise the API's own message, which may say more.
 */
export function apiErrorText(t: Translate, lang: Lang, code: string | null, message: string) {
  const key = `error.${code ?? ''}`;
  return lang === 'ar' && isMessageKey(key) ? t(key) : message;
}

/** The families of codes the API sends, each a key prefix of the dictionaries. */
export type CodePrefix =
  | 'status'
  | 'code'
  | 'action'
  | 'tx'
  | 'event'
  | 'kind'
  | 'format'
  | 'policy'
  | 'decline'
  | 'source'
  | 'rowType'
  | 'job'
  | 'face';

export const DICTIONARIES: Readonly<Record<Lang, Dictionary>> = { en, ar };

export type Translate = (
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
) => string;

export function translate(lang: Lang): Translate {
  const dictionary = DICTIONARIES[lang];
  return (key, params) =>
    dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(params[name]) : whole,
    );
}

/** The interface language and its translator, provided by the app shell. */
export const I18n = createContext<{ lang: Lang; t: Translate }>({ lang: 'en', t: translate('en') });
export const useI18n = () => useContext(I18n);

const STORAGE_KEY = 'unwind.dashboard.lang';

export function storedLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'ar') return stored;
  } catch {
    // storage may be unavailable (private mode); fall through to the default
  }
  return 'en';
}

/** Remembers the language and sets `<html lang dir>` so the layout mirrors for Arabic. */
export function applyLang(lang: Lang): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; the choice still applies to this page
  }
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
}

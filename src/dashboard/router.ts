/**
 * History-API routing under /dashboard. The server answers index.html for every /dashboard/*
 * path, so a route survives a reload; the query string carries each page's search so the back
 * button and a shared link restore it.
 */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/dashboard';

export interface Location {
  /** The path below /dashboard, always starting with '/': '/', '/orders', '/orders/:id'. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** `history.state` of the entry: pages keep what the URL need not show (a cursor stack). */
  readonly state: Readonly<Record<string, unknown>>;
}

const listeners = new Set<() => void>();

function current(): Location {
  const { pathname, search } = window.location;
  const below = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  return {
    path: below === '' ? '/' : below,
    query: new URLSearchParams(search),
    state: (window.history.state as Record<string, unknown> | null) ?? {},
  };
}

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

/** The URL for a dashboard path and optional query (empty values are left out). */
export function href(path: string, query?: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) params.set(key, value);
  const search = params.toString();
  return `${BASE}${path === '/' ? '/' : path}${search ? `?${search}` : ''}`;
}

export function navigate(
  url: string,
  options: { replace?: boolean; state?: Record<string, unknown> } = {},
): void {
  if (options.replace) window.history.replaceState(options.state ?? null, '', url);
  else window.history.pushState(options.state ?? null, '', url);
  listeners.forEach((l) => l());
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return location;
}

/** A click on an in-app link that the app should handle (not a new tab or window). */
export function followLink(event: MouseEvent): void {
  const anchor = (event.currentTarget as HTMLAnchorElement | null) ?? null;
  if (
    !anchor ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? BASE);
}

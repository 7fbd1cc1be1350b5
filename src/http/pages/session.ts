/**
 * Page plumbing: who is logged in (the HttpOnly `grasp_session` cookie, optional on reads), the
 * security headers every page carries, CSRF refusal for form posts, and safe redirect targets.
 */
import type { GitResolverAt } from '../../checklist/revisions.ts';
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { siteOrigin, type SiteDeps } from '../site.ts';
import type { Store } from '../../db/store.ts';
import { sessionOf, type AppEnv } from '../auth.ts';

export interface PageDeps extends SiteDeps {
  store: Store;
  now?: () => number;
  /** Revisions through git where the repository is at hand (AppDeps.revisions). */
  revisions?: GitResolverAt;
}

/** The engineer a page is shown to; null = logged out (pages are read-only then). */
export interface Viewer {
  id: number;
  handle: string;
}

/**
 * The logged-in engineer, or null. A missing, ended or expired session only means "logged out"
 * on a read; writes re-check it through `authenticate`.
 */
export async function viewerOf(c: Context, deps: PageDeps): Promise<Viewer | null> {
  const result = await sessionOf(c, deps);
  return result.ok ? result.principal.engineer : null;
}

/**
 * Strict headers for HTML: nothing but our own stylesheet loads, no script runs, forms post only
 * to us, no framing. Commit text is escaped anyway; the policy is the second line of defence.
 */
export const pageHeaders: MiddlewareHandler<AppEnv> = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    scriptSrc: ["'none'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
  xFrameOptions: 'DENY',
});

/** Form posts must come from our own pages (Origin or Sec-Fetch-Site), else 403 as an HTML page. */
export function formCsrf(onRefused: (c: Context) => Response | Promise<Response>, deps: SiteDeps): MiddlewareHandler<AppEnv> {
  // The site's public origin, not the request URL's (they differ behind an HTTPS proxy).
  const sameOrigin = csrf({ origin: (origin, c) => origin === siteOrigin(c, deps) });
  return async (c, next) => {
    let allowed = false;
    await sameOrigin(c, async () => {
      allowed = true;
    }).catch(() => undefined);
    if (!allowed) return onRefused(c);
    await next();
  };
}

/** A local path to return to after a form post; anything else (other hosts, `//x`, `\\x`) becomes `fallback`. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}

export const pathOf = (c: Context): string => {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
};

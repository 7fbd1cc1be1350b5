/**
 * Authentication for the API and the pages: `Authorization: Bearer <token>`, or the HttpOnly
 * `grasp_session` cookie set by the web login: a web session (src/db/repo/web-sessions.ts), never
 * the token itself. Cookie-authenticated writes must come from our own
 * origin (CSRF); bearer requests cannot be forged cross-site, so they need no such check.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { siteIsHttps, siteOrigin, type SiteDeps } from './site.ts';
import { GraspError } from '../core/errors.ts';
import type { Store } from '../db/store.ts';
import { authenticateToken, type AuthResult, type Principal } from '../db/repo/tokens.ts';
import { authenticateSession } from '../db/repo/web-sessions.ts';

export const SESSION_COOKIE = 'grasp_session';
/** The cookie older versions kept the raw token in; never read, cleared at logout. */
export const LEGACY_TOKEN_COOKIE = 'grasp_token';

export type AuthVia = 'bearer' | 'cookie';

/** Hono environment shared by every router mounted on the app. */
export type AppEnv = {
  Variables: {
    principal: Principal;
    authVia: AuthVia;
    /** The web session's id when the caller came with the login cookie. */
    sessionId: number | undefined;
  };
};

export type Role = 'engineer' | 'admin' | 'any';

interface AuthDeps extends SiteDeps {
  store: Store;
  now?: () => number;
}

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;

function credentials(c: Context): { secret: string; via: AuthVia } | null {
  const header = c.req.header('Authorization');
  if (header !== undefined) {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m) throw new GraspError('unauthorized', 'the Authorization header must be "Bearer <token>"');
    return { secret: m[1]!, via: 'bearer' };
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? { secret: cookie, via: 'cookie' } : null;
}

/** The caller of a request by its login cookie (a web session), for pages and cookie writes. */
export async function sessionOf(c: Context, deps: AuthDeps): Promise<AuthResult & { sessionId?: number }> {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return { ok: false, reason: 'not logged in' };
  return authenticateSession(deps.store, cookie, (deps.now ?? Date.now)());
}

/** A cookie-authenticated write must be same-origin: Origin matches, or Sec-Fetch-Site says so. */
function assertSameOrigin(c: Context, deps: SiteDeps): void {
  const origin = c.req.header('Origin');
  if (origin !== undefined) {
    if (origin === siteOrigin(c, deps)) return;
    throw new GraspError('forbidden', 'cross-origin write refused (CSRF protection)');
  }
  if (c.req.header('Sec-Fetch-Site') === 'same-origin') return;
  throw new GraspError('forbidden', 'write with a cookie login needs an Origin header from this site (CSRF protection)');
}

/** Resolves the caller, or throws 401 (no / bad / expired / revoked token) or 403 (CSRF). */
export async function authenticate(c: Context, deps: AuthDeps): Promise<{ principal: Principal; via: AuthVia; sessionId?: number }> {
  const cred = credentials(c);
  if (!cred) throw new GraspError('unauthorized', 'authentication required: send "Authorization: Bearer <token>" (grasp token create <handle>)');
  const now = (deps.now ?? Date.now)();
  const result: AuthResult & { sessionId?: number } =
    cred.via === 'bearer' ? await authenticateToken(deps.store, cred.secret, now) : await authenticateSession(deps.store, cred.secret, now);
  if (!result.ok) throw new GraspError('unauthorized', `invalid credentials: ${result.reason}`);
  if (cred.via === 'cookie' && !SAFE_METHOD.test(c.req.method)) assertSameOrigin(c, deps);
  return { principal: result.principal, via: cred.via, sessionId: result.sessionId };
}

/**
 * Middleware: only callers with the role get through. 'engineer' = an engineer's own token,
 * 'admin' = an admin token, 'any' = either. Sets `principal`, `authVia` and `sessionId` on the context.
 */
export function requireAuth(deps: AuthDeps, role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { principal, via, sessionId } = await authenticate(c, deps);
    if (role === 'admin' && !principal.admin) throw new GraspError('forbidden', 'this action needs an admin token (grasp token create --admin)');
    if (role === 'engineer' && !principal.engineer) {
      throw new GraspError('forbidden', 'marks are written with an engineer\'s own token, not an admin token');
    }
    c.set('principal', principal);
    c.set('authVia', via);
    c.set('sessionId', sessionId);
    await next();
  };
}

/** Puts a web session's id in the HttpOnly, SameSite=Strict login cookie (for the web pages). */
export function setSessionCookie(c: Context, session: string, deps: SiteDeps, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, session, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: siteIsHttps(c, deps),
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearLoginCookies(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  if (getCookie(c, LEGACY_TOKEN_COOKIE) !== undefined) deleteCookie(c, LEGACY_TOKEN_COOKIE, { path: '/' });
}

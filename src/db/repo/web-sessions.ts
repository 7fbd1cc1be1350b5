/**
 * Web sessions: what the browser's login cookie holds instead of the API token. Each is a fresh
 * random id (only its SHA-256 is stored), tied to the engineer and to the token they logged in
 * with, so logging out, revoking that token or removing the engineer ends it. Sessions expire on
 * their own: 7 days after login (never after the token), or after 24 hours unused.
 */
import { and, desc, eq, gt, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { constantTimeEqual, hashToken, randomId } from '../../core/tokens.ts';
import { engineers, tokens, webSessions } from '../schema.ts';
import type { Store } from '../store.ts';
import { preparedFor } from './prepared.ts';
import type { AuthResult } from './tokens.ts';

export const SESSION_PREFIX = 'grasp_session_';
export const SESSION_DAYS = 7;
export const SESSION_IDLE_SECONDS = 24 * 3600;
/** Live sessions kept per engineer; a login beyond it ends the oldest. */
export const MAX_SESSIONS_PER_ENGINEER = 20;
/** `last_seen_at` is written at most this often, so reads stay reads. */
const TOUCH_SECONDS = 60;
const SESSION_RE = /^grasp_session_[A-Za-z0-9_-]{43}$/;

const seconds = (ms: number): number => Math.floor(ms / 1000);

export interface WebSessionInfo {
  id: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/**
 * Opens a session for an engineer's token (already authenticated by the caller) and returns the
 * raw cookie value, the only time it exists outside the browser.
 */
export async function openWebSession(
  store: Store,
  login: { tokenId: number; engineerId: number },
  now = Date.now(),
): Promise<{ cookie: string; expiresAt: number }> {
  const at = seconds(now);
  const [token] = await store.db.select({ expiresAt: tokens.expiresAt }).from(tokens).where(eq(tokens.id, login.tokenId)).all();
  if (!token) throw new GraspError('not-found', `no token with id ${login.tokenId}`);
  const cap = at + SESSION_DAYS * 86400;
  const expiresAt = token.expiresAt === null ? cap : Math.min(cap, token.expiresAt);
  const cookie = randomId(SESSION_PREFIX);
  const hash = await hashToken(cookie);
  const mine = and(eq(webSessions.engineerId, login.engineerId), isNull(webSessions.revokedAt));
  const newest = store.db.select({ id: webSessions.id }).from(webSessions).where(mine).orderBy(desc(webSessions.id)).limit(MAX_SESSIONS_PER_ENGINEER);
  await store.atomic([
    // Dead sessions of this engineer go first, then the oldest live ones beyond the cap.
    store.db.delete(webSessions).where(and(eq(webSessions.engineerId, login.engineerId), or(sql`${webSessions.revokedAt} is not null`, lte(webSessions.expiresAt, at)))),
    store.db.insert(webSessions).values({ hash, engineerId: login.engineerId, tokenId: login.tokenId, createdAt: at, lastSeenAt: at, expiresAt }),
    store.db.update(webSessions).set({ revokedAt: at }).where(and(mine, notInArray(webSessions.id, newest))),
  ]);
  return { cookie, expiresAt };
}

// Runs on every page view and cookie-authenticated request.
const sessionLookup = preparedFor((store) =>
  store.db
    .select({
      id: webSessions.id,
      hash: webSessions.hash,
      lastSeenAt: webSessions.lastSeenAt,
      expiresAt: webSessions.expiresAt,
      revokedAt: webSessions.revokedAt,
      tokenId: tokens.id,
      tokenExpiresAt: tokens.expiresAt,
      tokenRevokedAt: tokens.revokedAt,
      engineerId: engineers.id,
      handle: engineers.handle,
    })
    .from(webSessions)
    .leftJoin(tokens, eq(tokens.id, webSessions.tokenId))
    .leftJoin(engineers, eq(engineers.id, webSessions.engineerId))
    .where(eq(webSessions.hash, sql.placeholder('hash')))
    .limit(1)
    .prepare(),
);

/** Checks a session cookie: known, live, not idle, its token still valid, its engineer still there. */
export async function authenticateSession(store: Store, raw: string, now = Date.now()): Promise<AuthResult & { sessionId?: number }> {
  if (!SESSION_RE.test(raw)) return { ok: false, reason: 'malformed session' };
  const hash = await hashToken(raw);
  const row = (await sessionLookup(store).all({ hash }))[0];
  if (!row || !constantTimeEqual(row.hash, hash)) return { ok: false, reason: 'unknown session' };
  const at = seconds(now);
  if (row.revokedAt !== null) return { ok: false, reason: 'session ended (logged out)' };
  if (row.expiresAt <= at) return { ok: false, reason: 'session expired' };
  if (row.lastSeenAt + SESSION_IDLE_SECONDS <= at) return { ok: false, reason: 'session expired (idle)' };
  if (row.tokenId === null || row.tokenRevokedAt !== null || (row.tokenExpiresAt !== null && row.tokenExpiresAt <= at)) {
    return { ok: false, reason: 'the token of this login is no longer valid' };
  }
  if (row.engineerId === null || row.handle === null) return { ok: false, reason: 'session has no engineer' };
  if (at - row.lastSeenAt >= TOUCH_SECONDS) await store.db.update(webSessions).set({ lastSeenAt: at }).where(eq(webSessions.id, row.id));
  return { ok: true, sessionId: row.id, principal: { tokenId: row.tokenId, admin: false, engineer: { id: row.engineerId, handle: row.handle } } };
}

/** Ends the session this cookie holds (logout); an unknown cookie changes nothing. */
export async function endWebSession(store: Store, raw: string, now = Date.now()): Promise<void> {
  if (!SESSION_RE.test(raw)) return;
  await store.db
    .update(webSessions)
    .set({ revokedAt: seconds(now) })
    .where(and(eq(webSessions.hash, await hashToken(raw)), isNull(webSessions.revokedAt)));
}

/** The engineer's live sessions, newest first. */
export async function listWebSessions(store: Store, engineerId: number, now = Date.now()): Promise<WebSessionInfo[]> {
  const at = seconds(now);
  return store.db
    .select({ id: webSessions.id, createdAt: webSessions.createdAt, lastSeenAt: webSessions.lastSeenAt, expiresAt: webSessions.expiresAt })
    .from(webSessions)
    .where(and(eq(webSessions.engineerId, engineerId), isNull(webSessions.revokedAt), gt(webSessions.expiresAt, at), gt(webSessions.lastSeenAt, at - SESSION_IDLE_SECONDS)))
    .orderBy(desc(webSessions.id))
    .all();
}

/** Ends one of the engineer's own sessions (another engineer's id is "not found"), or all with id null. */
export async function revokeWebSessions(store: Store, engineerId: number, id: number | null, now = Date.now()): Promise<number> {
  const mine = and(eq(webSessions.engineerId, engineerId), isNull(webSessions.revokedAt));
  const where = id === null ? mine : and(mine, eq(webSessions.id, id));
  const ended = await store.db.update(webSessions).set({ revokedAt: seconds(now) }).where(where).returning({ id: webSessions.id });
  if (id !== null && ended.length === 0) throw new GraspError('not-found', `no live session ${id} of yours`);
  return ended.length;
}

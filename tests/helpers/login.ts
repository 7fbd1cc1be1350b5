/** Web logins for tests: a session opened the way POST /login opens it, as a Cookie header value. */
import { authenticateToken } from '../../src/db/repo/tokens.ts';
import { openWebSession } from '../../src/db/repo/web-sessions.ts';
import type { Store } from '../../src/db/store.ts';

/** `grasp_session=<id>` for an engineer's token, opened at `now` (ms). */
export async function sessionCookie(store: Store, token: string, now = Date.now()): Promise<string> {
  const auth = await authenticateToken(store, token, now);
  if (!auth.ok || !auth.principal.engineer) throw new Error(`cannot log in with that token: ${auth.ok ? 'admin token' : auth.reason}`);
  const { cookie } = await openWebSession(store, { tokenId: auth.principal.tokenId, engineerId: auth.principal.engineer.id }, now);
  return `grasp_session=${cookie}`;
}

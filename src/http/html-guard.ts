/**
 * The last word on every HTML response, whatever router made it: a Content-Security-Policy when
 * the route set none (API renderings such as `report?format=html` included), and no raw
 * bidirectional overrides, which can make code or a path read differently from what it is.
 */
import type { MiddlewareHandler } from 'hono';

/** No scripts, nothing loaded from elsewhere, inline styles only (standalone renderings inline theirs). */
export const DEFAULT_HTML_CSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// U+202A-U+202E (embeddings, overrides) and U+2066-U+2069 (isolates): the CLI strips the same set.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** Shows each bidi control as U+FFFD, so the reader sees that something was there. */
export function neutraliseBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '\ufffd');
}

export const htmlGuard: MiddlewareHandler = async (c, next) => {
  await next();
  const type = c.res.headers.get('Content-Type') ?? '';
  if (!/^text\/html/i.test(type)) return;
  const headers = new Headers(c.res.headers);
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', DEFAULT_HTML_CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  const { status, statusText } = c.res;
  const body = neutraliseBidi(await c.res.text());
  headers.delete('Content-Length');
  c.res = undefined; // replace, not merge: the old headers are already in `headers`
  c.res = new Response(body, { status, statusText, headers });
};

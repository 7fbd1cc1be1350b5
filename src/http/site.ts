/**
 * Where the site lives as browsers see it. Behind an HTTPS proxy the server itself is reached over
 * plain http, so comparing a form's Origin with the request URL refuses every write, and a cookie
 * set from the request URL is never `Secure`. `--public-url` (GRASP_PUBLIC_URL) names the origin;
 * with `--trust-proxy`, X-Forwarded-Proto/Host name it per request (only when the proxy is the one
 * setting them: otherwise any client could pick its own origin).
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';

export interface SiteDeps {
  /** The public origin, e.g. https://grasp.example.com (parsePublicUrl). */
  publicUrl?: string;
  /** Believe X-Forwarded-Proto / X-Forwarded-Host / X-Forwarded-For (set only behind a proxy that overwrites them). */
  trustProxy?: boolean;
}

const publicUrlSchema = z.string().max(2000).url();
const FORWARDED_PROTO = /^(https?)$/i;
const FORWARDED_HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/;

/** The origin of a `--public-url`: http(s), no credentials; a path is ignored (pages live at the root). */
export function parsePublicUrl(text: string): string {
  const parsed = publicUrlSchema.safeParse(text);
  const url = parsed.success ? new URL(parsed.data) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw new GraspError('invalid', `--public-url must be an http(s) URL such as https://grasp.example.com, got "${text}"`);
  }
  return url.origin;
}

/** The origin browsers use for this site. */
export function siteOrigin(c: Context, deps: SiteDeps): string {
  if (deps.publicUrl) return deps.publicUrl;
  const own = new URL(c.req.url);
  if (!deps.trustProxy) return own.origin;
  const proto = c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim() ?? '';
  const host = c.req.header('X-Forwarded-Host')?.split(',')[0]?.trim() ?? '';
  const scheme = FORWARDED_PROTO.test(proto) ? proto.toLowerCase() : own.protocol.slice(0, -1);
  return `${scheme}://${FORWARDED_HOST.test(host) ? host.toLowerCase() : own.host}`;
}

export const siteIsHttps = (c: Context, deps: SiteDeps): boolean => siteOrigin(c, deps).startsWith('https:');

/** The client's address as the proxy saw it (first X-Forwarded-For entry) when trusted, else null. */
export function forwardedClientIp(c: Context, deps: SiteDeps): string | null {
  if (!deps.trustProxy) return null;
  const first = c.req.header('X-Forwarded-For')?.split(',')[0]?.trim() ?? '';
  return /^[0-9A-Fa-f:.]{2,45}$/.test(first) ? first : null;
}

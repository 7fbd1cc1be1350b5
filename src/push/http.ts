/** The push client's HTTP: JSON calls to the service with retries (every push call is idempotent). */
import { GraspError, type ErrorCode } from '../core/errors.ts';

export class Http {
  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly fetchFn: typeof fetch,
    private readonly retryDelayMs: number,
  ) {}

  /** JSON request with retries on network errors, 429 and 5xx (every call is idempotent). */
  async call(method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 1)));
      let res: Response;
      try {
        res = await this.fetchFn(`${this.base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
          body,
        });
      } catch (err) {
        lastError = new GraspError('invalid', `cannot reach ${this.base}: ${(err as Error).message}`, { cause: err });
        continue;
      }
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        // a proxy's HTML error page: reported by status below
      }
      if (res.ok) return json;
      const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
      const message = `${method} ${path}: ${res.status} ${err?.message ?? text.slice(0, 200)}`;
      if (res.status === 429 || res.status >= 500) {
        lastError = new GraspError('invalid', message);
        continue;
      }
      const code: ErrorCode = res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status === 404 ? 'not-found' : res.status === 409 ? 'conflict' : res.status === 413 ? 'too-large' : 'invalid';
      throw new GraspError(code, message);
    }
    throw lastError;
  }
}

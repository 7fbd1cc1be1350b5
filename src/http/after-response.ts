/**
 * Work that must not hold up (or fail) the answer: on Workers it goes to `executionCtx.waitUntil`
 * so the isolate stays alive for it; on Node it simply runs on (fire-and-forget). Errors are
 * logged as a warning either way.
 */
import type { Context } from 'hono';

export function runAfterResponse(c: Context, work: () => Promise<unknown>, warn: (line: string) => void = (line) => console.warn(line)): void {
  const guarded = Promise.resolve()
    .then(work)
    .catch((err: unknown) => warn(`grasp: warning: follow-up work failed: ${err instanceof Error ? err.message : String(err)}`));
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx; // throws on Node: no ExecutionContext there
  } catch {
    ctx = undefined;
  }
  ctx?.waitUntil(guarded);
}

/**
 * `--server URL`: the team service holds the engineers and the marks (pages, API, GitHub
 * credits), so the gate is evaluated there after a push (POST /api/gate) instead of on the
 * runner's throwaway database.
 */
import { z } from 'zod';
import type { Checklist } from '../checklist/types.ts';
import { GraspError } from '../core/errors.ts';
import type { Store } from '../db/store.ts';
import { pushDatabase } from '../push/client.ts';
import type { Evaluation } from './evaluate.ts';
import type { GateResult } from './gate.ts';
import type { Policy } from './policy.ts';

const gateItem = z.object({
  order: z.number(),
  symbol: z.string(),
  file: z.string(),
  line: z.number().nullable(),
  endLine: z.number().nullable(),
  required: z.enum(['viewed', 'reviewed', 'explained']),
  because: z.array(z.string()),
  satisfiedBy: z.array(z.string()),
  pass: z.boolean(),
});
const threshold = z.object({ limit: z.number(), pass: z.boolean() }).nullable();
const answer = z.object({
  // The checklist is rendered by our own escaping Markdown writer; its shape is the service's (same code).
  checklist: z.object({ base: z.string(), head: z.string(), items: z.array(z.unknown()), commits: z.array(z.unknown()), effortMinutes: z.number() }).passthrough(),
  gate: z.object({
    pass: z.boolean(),
    gated: z.array(gateItem),
    failing: z.array(gateItem),
    ignored: z.number(),
    debt: z.number(),
    coverage: z.number(),
    effortMinutes: z.number(),
    unreviewed: z.number(),
    maxDebt: threshold,
    minCoverage: threshold,
  }),
});

export function teamService(url: string, token: string, fetchImpl: typeof fetch = fetch) {
  const base = url.replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(base)) throw new GraspError('invalid', `--server must be an http(s) URL, got "${url.slice(0, 200)}"`);
  return {
    url: base,
    async push(store: Store): Promise<string> {
      const s = await pushDatabase(store, { url: base, token, engineers: true, fetch: fetchImpl });
      return `push: ${s.blocks.sent} of ${s.blocks.total} blocks sent to ${s.url}`;
    },
    /** Tells the service which check run this PR head has, so its later marks update it. */
    async recordCheckRun(input: { number: number; base: string; head: string; checkRunId: string; repository: string; repositoryId: string; policy: Policy }): Promise<void> {
      let res: Response;
      try {
        res = await fetchImpl(`${base}/api/gate/check-run`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
      } catch (err) {
        throw new GraspError('github-failed', `the team service ${base} did not answer: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!res.ok) throw new GraspError('github-failed', `the team service did not take the check run (HTTP ${res.status})`);
    },
    async evaluate(input: { repo: string; base: string; head: string; policy: Policy }): Promise<Evaluation> {
      let res: Response;
      try {
        res = await fetchImpl(`${base}/api/gate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
      } catch (err) {
        throw new GraspError('github-failed', `the team service ${base} did not answer: ${err instanceof Error ? err.message : String(err)}`);
      }
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const msg = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
        throw new GraspError('github-failed', `the team service refused the gate evaluation: ${String(msg).slice(0, 300)}`, { exitCode: 3 });
      }
      const parsed = answer.safeParse(body);
      if (!parsed.success) throw new GraspError('github-failed', `the team service answered an unexpected gate shape (${parsed.error.issues[0]?.path.join('.')})`);
      return { checklist: parsed.data.checklist as unknown as Checklist, gate: parsed.data.gate as GateResult };
    },
  };
}

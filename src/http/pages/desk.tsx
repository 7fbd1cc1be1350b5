/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The orchestrator's pages: `/queue` (the review queue, for the logged-in reader) and `/agents` (the
 * agent scorecard). Server-rendered, no scripts, under the pages' CSP like every other page.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { GraspError } from '../../core/errors.ts';
import { scorecardJson } from '../../desk/agents-json.ts';
import { loadScorecards } from '../../desk/agents-load.ts';
import { loadQueue } from '../../desk/queue-load.ts';
import type { AppEnv } from '../auth.ts';
import type { AppDeps } from '../types.ts';
import { ErrorPage, Layout } from './layout.tsx';
import { pageHeaders, pathOf, viewerOf, type PageDeps } from './session.ts';

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 1000) / 10}%`);

export function deskPageRoutes(deps: PageDeps & Pick<AppDeps, 'branches' | 'policy'>): Hono<AppEnv> {
  const now = () => (deps.now ?? Date.now)();
  const safe = (render: (c: Context<AppEnv>) => Promise<Response>) => async (c: Context<AppEnv>) => {
    try {
      return await render(c);
    } catch (err) {
      if (!(err instanceof GraspError)) throw err;
      const viewer = await viewerOf(c, deps).catch(() => null);
      return c.html(<ErrorPage status={err.status} message={err.message} viewer={viewer} path={pathOf(c)} />, err.status as 400);
    }
  };
  return new Hono<AppEnv>()
    .get(
      '/queue',
      pageHeaders,
      safe(async (c) => {
        const viewer = await viewerOf(c, deps);
        const q = await loadQueue(deps.store, { as: viewer?.handle ?? null, now: now(), branches: deps.branches, policy: deps.policy });
        return c.html(
          <Layout title="Review queue" viewer={viewer} path={pathOf(c)}>
            <h1>Review queue{viewer ? ` for ${viewer.handle}` : ''}</h1>
            <p class="muted">
              Most urgent first: {q.formula}.{q.policy ? ` Gate: ${q.policy}.` : ''}
            </p>
            {q.prs.length === 0 ? (
              <p>Nothing open: no pull request and no unmerged branch.</p>
            ) : (
              <table class="hotspots" data-queue>
                <thead>
                  <tr>
                    <th>work</th>
                    <th>agent</th>
                    <th>urgency</th>
                    <th>debt</th>
                    <th>flags</th>
                    <th>minutes</th>
                    <th>gate</th>
                    <th>new for me</th>
                    <th>collisions</th>
                  </tr>
                </thead>
                <tbody>
                  {q.prs.map((p) => (
                    <tr data-pr={p.number ?? ''} data-branch={p.branch ?? ''}>
                      <td>{p.number !== null ? <a href={`/prs/${p.number}`}>#{p.number} {p.title}</a> : <code>{p.branch}</code>}</td>
                      <td>{p.agent ?? '–'}</td>
                      <td>{p.urgency}</td>
                      <td>{p.debt}</td>
                      <td>{p.flags}</td>
                      <td>{p.effortMinutes}</td>
                      <td data-gate={p.gate ?? ''}>{p.gate === null ? '–' : p.gate === 'fail' ? `fail (${p.gateFailing} unmarked)` : 'pass'}</td>
                      <td>{p.newForMe.length}</td>
                      <td>
                        {p.collisions.map((x) => (
                          <div>
                            <code>{`${x.file}#${x.symbol}`}</code> with {[...x.prs.filter((n) => n !== p.number).map((n) => `#${n}`), ...x.branches.filter((b) => b !== p.branch)].join(', ')}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {q.warnings.length > 0 ? (
              <ul class="muted">
                {q.warnings.map((w) => (
                  <li>{w}</li>
                ))}
              </ul>
            ) : null}
          </Layout>,
        );
      }),
    )
    .get(
      '/agents',
      pageHeaders,
      safe(async (c) => {
        const viewer = await viewerOf(c, deps);
        const cards = scorecardJson(await loadScorecards(deps.store, { now: now() }));
        return c.html(
          <Layout title="Agents" viewer={viewer} path={pathOf(c)}>
            <h1>Agent scorecard</h1>
            {cards.length === 0 ? (
              <p>No agent-written commits yet.</p>
            ) : (
              <table class="hotspots" data-agents>
                <thead>
                  <tr>
                    <th>agent</th>
                    <th>commits</th>
                    <th>lines</th>
                    <th>share</th>
                    <th>churn 14 d</th>
                    <th>churn 30 d</th>
                    <th>reverts</th>
                    <th>coverage</th>
                    <th>rubber stamps</th>
                    <th>depth</th>
                    <th>why</th>
                  </tr>
                </thead>
                <tbody>
                  {cards.flatMap((a) =>
                    [a, ...a.areas].map((r) => (
                      <tr data-agent={r.agent} data-area={r.area ?? ''}>
                        <td>{r.area ? `${r.agent} · ${r.area}/` : <strong>{r.agent}</strong>}</td>
                        <td>{r.commits}</td>
                        <td>{r.agentLines}</td>
                        <td>{pct(r.share)}</td>
                        <td>{pct(r.churn14d)}</td>
                        <td>{pct(r.churn30d)}</td>
                        <td>{r.reverts}</td>
                        <td>{pct(r.coverage)}</td>
                        <td>{r.rubberStamps}</td>
                        <td data-depth={r.depth}>{r.depth}</td>
                        <td>{r.reasons.join('; ')}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            )}
          </Layout>,
        );
      }),
    );
}

/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * `/`: team coverage and debt now, every repository with its agent share, coverage and debt (each
 * linking to its own views), the top hotspots, and where to go next; `/?repo=NAME` narrows the
 * cards and hotspots to one repository. Plus the login page.
 */
import { coverage, deriveUnderstanding, totalDebt, type Understanding } from '../../core/debt.ts';
import { countCommitsByRepo, listRepos } from '../../db/repo/repos.ts';
import { loadAliveSymbols, loadEngineerDirectory, loadFreshMarkStates, type SymbolFacts } from '../../db/repo/report.ts';
import type { RepoStore, Store } from '../../db/store.ts';
import { buildHotspotsReport, type HotspotsReport } from '../../report/hotspots-report.ts';
import { HotspotTable } from '../../digest/html.tsx';
import { pct } from './components.tsx';
import { Layout } from './layout.tsx';
import type { Viewer } from './session.ts';

export interface OverviewRepo {
  name: string;
  head: string | null;
  commits: number;
  /** Agent-written share of the lines at head (null with no analyzed line). */
  agentShare: number | null;
  /** Understood weight / weight of its agent-written code (1 with none). */
  coverage: number;
  debt: number;
  symbols: number;
}

export interface Overview {
  /** The repository the cards and hotspots are narrowed to (`?repo=NAME`), else null: the whole team. */
  repo: string | null;
  teamCoverage: number;
  debt: number;
  symbols: number;
  repos: OverviewRepo[];
  engineers: { handle: string; name: string }[];
  hotspots: HotspotsReport['symbols'];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Figures of one set of symbols at head (a repository's, or the team's). */
function figuresOf(symbols: readonly SymbolFacts[], understanding: ReadonlyMap<number, Understanding>) {
  let agentLines = 0;
  let lines = 0;
  for (const s of symbols) {
    agentLines += Math.max(0, s.agentLines);
    lines += Math.max(0, s.agentLines) + Math.max(0, s.humanLines);
  }
  return {
    agentShare: lines === 0 ? null : agentLines / lines,
    coverage: coverage(symbols, understanding).ratio,
    debt: round1(totalDebt(symbols, understanding)),
    symbols: symbols.length,
  };
}

/**
 * The overview: every repository's row from one team-wide read, and the cards and hotspots of the
 * team or, given `repo` (a store narrowed to it), of that repository.
 */
export async function loadOverview(team: Store, now: number, repo?: { store: RepoStore; name: string }): Promise<Overview> {
  const [current, people, tracked, commitCounts] = await Promise.all([loadAliveSymbols(team), loadEngineerDirectory(team), listRepos(team), countCommitsByRepo(team)]);
  const understanding = deriveUnderstanding(current, await loadFreshMarkStates(team, current), people.emailOwner);
  const byRepo = new Map<number, SymbolFacts[]>();
  for (const s of current) {
    const list = byRepo.get(s.repoId);
    if (list) list.push(s);
    else byRepo.set(s.repoId, [s]);
  }
  const shown = repo ? (byRepo.get(repo.store.repoId) ?? []) : current;
  const [hotspots, figures] = [await buildHotspotsReport(repo?.store ?? team, { now, limit: 10 }), figuresOf(shown, understanding)];
  return {
    repo: repo?.name ?? null,
    teamCoverage: figures.coverage,
    debt: figures.debt,
    symbols: figures.symbols,
    repos: tracked.map((r) => ({ name: r.name, head: r.head, commits: commitCounts.get(r.id) ?? 0, ...figuresOf(byRepo.get(r.id) ?? [], understanding) })),
    engineers: [...people.byId.values()].sort((a, b) => a.handle.localeCompare(b.handle)),
    hotspots: hotspots.symbols,
  };
}

/** A repository's own views: its overview, digest, checklist and hotspots, all by `?repo=NAME`. */
export const repoQuery = (name: string): string => `?repo=${encodeURIComponent(name)}`;

function RepoRows(props: { repos: readonly OverviewRepo[]; selected: string | null }) {
  if (props.repos.length === 0) {
    return (
      <p class="muted">
        No repository yet: <code>grasp ingest &lt;path&gt;</code>.
      </p>
    );
  }
  return (
    <table class="repos">
      <thead>
        <tr>
          <th>Repository</th>
          <th class="num">Agent share</th>
          <th class="num">Coverage</th>
          <th class="num">Debt</th>
          <th class="num">Commits</th>
          <th>Head</th>
          <th>Views</th>
        </tr>
      </thead>
      <tbody>
        {props.repos.map((r) => {
          const q = repoQuery(r.name);
          return (
            <tr data-repo={r.name} class={r.name === props.selected ? 'selected' : undefined}>
              <td>
                <a href={`/${q}`}>{r.name}</a>
              </td>
              <td class="num" data-figure="agent-share">
                {pct(r.agentShare)}
              </td>
              <td class="num" data-figure="coverage">
                {pct(r.coverage)}
              </td>
              <td class="num" data-figure="debt">
                {r.debt}
              </td>
              <td class="num" data-figure="commits">
                {r.commits}
              </td>
              <td>
                <code>{r.head === null ? '(empty)' : r.head.slice(0, 10)}</code>
              </td>
              <td>
                <a href={`/digest${q}`}>digest</a> · <a href={`/checklist${q}`}>checklist</a> · <a href={`/api/hotspots${q}`}>hotspots</a> ·{' '}
                <a href={`/api/islands${q}`}>islands</a>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function OverviewPage(props: { overview: Overview; viewer: Viewer | null; path: string }) {
  const o = props.overview;
  const q = o.repo === null ? '' : repoQuery(o.repo);
  return (
    <Layout title={o.repo === null ? 'Overview' : `Overview: ${o.repo}`} viewer={props.viewer} path={props.path}>
      <h1>Comprehension debt{o.repo === null ? null : <> in <span data-repo-scope={o.repo}>{o.repo}</span></>}</h1>
      {o.repo === null ? null : (
        <p>
          <a href="/">← the whole team</a>
        </p>
      )}
      <div class="cards">
        <div class="card">
          <div class="value" data-metric="team-coverage">
            {pct(o.teamCoverage)}
          </div>
          <div class="label">{o.repo === null ? 'team' : 'repository'} coverage of agent-written code</div>
        </div>
        <div class="card">
          <div class="value" data-metric="debt">
            {o.debt}
          </div>
          <div class="label">debt (complexity-weighted agent lines nobody understands)</div>
        </div>
        <div class="card">
          <div class="value" data-metric="symbols">
            {o.symbols}
          </div>
          <div class="label">symbols at head</div>
        </div>
      </div>
      <p>
        <a href={`/digest${q}`}>This week's digest</a> · <a href={`/checklist${q}`}>Review checklist</a> · <a href={`/api/islands${q}`}>Knowledge islands (JSON)</a>
      </p>
      <h2>Repositories</h2>
      <RepoRows repos={o.repos} selected={o.repo} />
      <h2>Top hotspots</h2>
      <HotspotTable rows={o.hotspots} empty="No hotspots: nothing agent-written and un-understood changed recently." />
      <h2>Engineers</h2>
      {o.engineers.length === 0 ? (
        <p class="muted">
          No engineers yet: <code>grasp engineer add &lt;handle&gt; --email &lt;address&gt;</code>.
        </p>
      ) : (
        <ul class="engineers">
          {o.engineers.map((e) => (
            <li>
              <a href={`/engineers/${encodeURIComponent(e.handle)}${q}`}>{e.handle}</a> <span class="muted">{e.name}</span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function LoginPage(props: { next: string; error: string | null; viewer: Viewer | null; path: string }) {
  return (
    <Layout title="Log in" viewer={props.viewer} path={props.path}>
      <h1>Log in</h1>
      <p>
        Paste the token <code>grasp token create &lt;your handle&gt;</code> gave you. It is kept in an HttpOnly cookie for this site only, so
        you paste it once.
      </p>
      {props.error ? (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/login">
        <input type="hidden" name="next" value={props.next} />
        <label>
          Token <input type="password" name="token" required autocomplete="off" maxlength={200} size={60} />
        </label>{' '}
        <button type="submit">Log in</button>
      </form>
    </Layout>
  );
}

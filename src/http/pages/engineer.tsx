/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * /engineers/:handle: the "what don't I understand" report (src/report/) as a page, each item with
 * Viewed / Reviewed / Explain forms. Marking it reviewed or explained makes the engineer understand
 * it, so it leaves the list on the redirect back. Stale items show the diff since the mark.
 * Items are grouped by repository (a team report covers every repository unless `?repo=` narrows it).
 */
import { symbolLabel } from '../../core/marks.ts';
import type { EngineerReport, ReportItem } from '../../report/engineer-report.ts';
import { Diff, MarkButtons, pct } from './components.tsx';
import { Layout, LoginPrompt } from './layout.tsx';
import type { Viewer } from './session.ts';

const targetOf = (i: ReportItem) => symbolLabel({ file: i.file, name: i.symbol });

function Item(props: { item: ReportItem; viewer: Viewer | null; back: string }) {
  const i = props.item;
  return (
    <li class="item" data-target={targetOf(i)} data-repo={i.repo}>
      <div class="item-head">
        <code class="symbol">{targetOf(i)}</code>
        <span class="muted">
          {i.kind}, lines {i.startLine}-{i.endLine}
        </span>
        {i.stale ? <span class="tag stale">stale</span> : null}
        <span class="tag">debt {i.debt}</span>
        <span class="tag">score {i.score}</span>
      </div>
      <ul class="reasons">
        {i.reasons.map((r) => (
          <li>{r}</li>
        ))}
      </ul>
      {i.understoodBy.length > 0 ? <p>Ask: {i.understoodBy.join(', ')}</p> : null}
      {i.viewedBy.length > 0 ? <p class="muted">Viewed by {i.viewedBy.join(', ')}</p> : null}
      {i.stale ? (
        i.diff ? (
          <details open>
            <summary>What changed since your mark</summary>
            <Diff diff={i.diff} />
          </details>
        ) : (
          <p class="muted">The marked version's text is not stored, so the change cannot be shown.</p>
        )
      ) : null}
      <MarkButtons target={targetOf(i)} repo={i.repo} back={props.back} viewer={props.viewer} />
    </li>
  );
}

export interface RepoGroup {
  repo: string;
  items: ReportItem[];
  debt: number;
}

/** The report's items by repository, in the report's order inside a group; groups in the order of their first item. */
export function groupByRepository(items: readonly ReportItem[]): RepoGroup[] {
  const groups = new Map<string, RepoGroup>();
  for (const i of items) {
    const g = groups.get(i.repo) ?? { repo: i.repo, items: [], debt: 0 };
    g.items.push(i);
    g.debt += i.debt;
    groups.set(i.repo, g);
  }
  return [...groups.values()].map((g) => ({ ...g, debt: Math.round(g.debt * 10) / 10 }));
}

function Items(props: { items: readonly ReportItem[]; viewer: Viewer | null; back: string }) {
  return (
    <ol class="items">
      {props.items.map((i) => (
        <Item item={i} viewer={props.viewer} back={props.back} />
      ))}
    </ol>
  );
}

export function EngineerPage(props: { report: EngineerReport; repo: string | null; viewer: Viewer | null; path: string; notice: string | null }) {
  const r = props.report;
  const own = props.viewer?.handle === r.engineer;
  return (
    <Layout title={`${r.engineer}: what don't I understand`} viewer={props.viewer} path={props.path}>
      <h1>
        What <span data-engineer={r.engineer}>{r.engineer}</span> doesn't understand yet
      </h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.viewer === null ? <LoginPrompt path={props.path} what="mark items viewed, reviewed or explained" /> : null}
      {props.viewer !== null && !own ? (
        <p class="notice">
          You are logged in as {props.viewer.handle}: marks you write here are yours, not {r.engineer}'s.
        </p>
      ) : null}
      <div class="cards">
        <div class="card">
          <div class="value">{pct(r.summary.myCoverage)}</div>
          <div class="label">{r.engineer}'s coverage</div>
        </div>
        <div class="card">
          <div class="value">{pct(r.summary.teamCoverage)}</div>
          <div class="label">team coverage</div>
        </div>
        <div class="card">
          <div class="value">{r.summary.debt}</div>
          <div class="label">debt in {r.area === 'activity' ? 'their area' : 'the repository'}</div>
        </div>
        <div class="card">
          <div class="value">{r.summary.staleMarks}</div>
          <div class="label">stale marks</div>
        </div>
      </div>
      {props.repo === null ? null : (
        <p>
          Repository <strong data-repo-scope={props.repo}>{props.repo}</strong> only · <a href={`/engineers/${encodeURIComponent(r.engineer)}`}>every repository</a>
        </p>
      )}
      {r.items.length === 0 ? (
        <p class="notice empty">Nothing left: every agent-written symbol here is understood.</p>
      ) : (
        groupByRepository(r.items).map((g) => (
          <section class="repo-group" data-repo={g.repo}>
            <h2 class="repo-group">
              <a href={`/engineers/${encodeURIComponent(r.engineer)}?repo=${encodeURIComponent(g.repo)}`}>{g.repo}</a>
              <span class="muted" data-group-figures>
                {g.items.length} {g.items.length === 1 ? 'item' : 'items'}, debt {g.debt}
              </span>
            </h2>
            <Items items={g.items} viewer={props.viewer} back={props.path} />
          </section>
        ))
      )}
      {r.rubberStamps.length > 0 ? (
        <>
          <h2>Rubber-stamp reviews</h2>
          <ul>
            {r.rubberStamps.map((s) => (
              <li>
                PR #{s.number} {s.title}: approved by {s.reviewer ?? 'unknown'} — {s.reason ?? ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

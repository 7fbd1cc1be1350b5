/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The digest as HTML: one view component shared by the /digest page and `grasp digest --format html`
 * (a standalone document with the stylesheet inlined). hono/jsx escapes every text child and
 * attribute, so names, paths and titles from commits render as text.
 */
import type { Child } from 'hono/jsx';
import { AgentLinesChart, AgentShareChart, CoverageTrendChart, DebtChart } from './charts.tsx';
import { delta, percent, plural } from './markdown.ts';
import { RepoTable } from './repos-view.tsx';
import { GRASP_CSS } from './style.ts';
import type { Digest, DigestIsland, DebtFlow } from './types.ts';

export interface DigestLinks {
  /** Link to another week's digest (pages only). */
  week?: (week: string) => string;
  /** Link to an engineer's report (pages only). */
  engineer?: (handle: string) => string;
  /** Link to a repository's own views (pages only). */
  repo?: (name: string) => string;
}

function Change(props: { value: number; previous: number; percent?: boolean; goodWhenUp?: boolean }) {
  const d = props.value - props.previous;
  const good = props.goodWhenUp ?? true;
  const cls = d === 0 ? 'muted' : (d > 0) === good ? 'good' : 'bad';
  return <span class={cls}>{delta(props.value, props.previous, props.percent)}</span>;
}

function Card(props: { label: string; value: string; children?: Child }) {
  return (
    <div class="card">
      <div class="value">{props.value}</div>
      <div class="label">{props.label}</div>
      {props.children ? <div>{props.children}</div> : null}
    </div>
  );
}

function SymbolRef(props: { file: string; symbol: string }) {
  return <code>{props.symbol === '' ? props.file : `${props.file}#${props.symbol}`}</code>;
}

export interface HotspotRow {
  file: string;
  symbol: string;
  startLine: number;
  endLine: number;
  score: number;
  frequency: number;
  complexity: number;
  agentShare: number;
}

/** The ranked hotspot table of the digest and of the overview page. */
export function HotspotTable(props: { rows: readonly HotspotRow[]; empty: string; withLines?: boolean }) {
  if (props.rows.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <table class="hotspots">
      <thead>
        <tr>
          <th>Symbol</th>
          <th class="num">Score</th>
          <th class="num">Changes</th>
          <th class="num">Complexity</th>
          <th class="num">Agent share</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((h) => (
          <tr>
            <td>
              <SymbolRef file={h.file} symbol={h.symbol} />
              {props.withLines ? (
                <>
                  {' '}
                  <span class="muted">
                    lines {h.startLine}-{h.endLine}
                  </span>
                </>
              ) : null}
            </td>
            <td class="num">{h.score}</td>
            <td class="num">{h.frequency}</td>
            <td class="num">{h.complexity}</td>
            <td class="num">{percent(h.agentShare)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DebtTable(props: { title: string; flow: DebtFlow; withBy?: boolean }) {
  if (props.flow.items.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <table>
        <thead>
          <tr>
            <th>Symbol</th>
            <th>Kind</th>
            <th class="num">Debt</th>
            {props.withBy ? <th>By</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.flow.items.map((i) => (
            <tr>
              <td>
                <SymbolRef file={i.file} symbol={i.symbol} />
              </td>
              <td>{i.kind}</td>
              <td class="num">{i.debt}</td>
              {props.withBy ? <td>{(i.by ?? []).join(', ')}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Island(props: { island: DigestIsland; links: DigestLinks }) {
  const i = props.island;
  const who = props.links.engineer ? <a href={props.links.engineer(i.engineer)}>{i.engineer}</a> : <>{i.engineer}</>;
  if (i.scope === 'directory') {
    return (
      <li>
        directory <code>{i.directory}</code>: only {who} understands any of it ({i.understoodSymbols}/{i.symbols} symbols, weight {i.weight})
      </li>
    );
  }
  return (
    <li>
      <SymbolRef file={i.file} symbol={i.symbol} />: only {who}
      {i.byAuthorship ? ' (as its author)' : ''} (weight {i.weight})
    </li>
  );
}

export function DigestView(props: { digest: Digest; links?: DigestLinks }) {
  const d = props.digest;
  const links = props.links ?? {};
  const { lines, commits } = d.agentShare;
  return (
    <article class="digest" data-week={d.week}>
      <h1>Digest {d.week}</h1>
      <p class="muted">
        Compared with {links.week ? <a href={links.week(d.previousWeek)}>{d.previousWeek}</a> : d.previousWeek}. Weeks are ISO weeks in UTC.
      </p>
      <div class="cards">
        <Card label="team coverage" value={percent(d.coverage.value)}>
          <Change value={d.coverage.value} previous={d.coverage.previous} percent />
        </Card>
        <Card label="agent share of changed lines" value={percent(lines.share)}>
          <span class="muted">
            {lines.agent} of {lines.total} lines
          </span>
        </Card>
        <Card label="agent share of commits" value={percent(commits.share)}>
          <span class="muted">
            {commits.agent} of {commits.total} commits
          </span>
        </Card>
        <Card label="debt added" value={String(d.debtAdded.value)}>
          <Change value={d.debtAdded.value} previous={d.debtAdded.previous} goodWhenUp={false} />
        </Card>
        <Card label="debt paid" value={String(d.debtPaid.value)}>
          <Change value={d.debtPaid.value} previous={d.debtPaid.previous} />
        </Card>
      </div>

      {d.repos.length > 0 ? (
        <>
          <h2>Repositories</h2>
          <RepoTable repos={d.repos} totals={d.totals} link={links.repo} />
        </>
      ) : null}

      <section class="charts">
        <h2>Team coverage trend</h2>
        <CoverageTrendChart trend={d.coverageTrend} />
        <h2>Agent share</h2>
        <AgentShareChart share={d.agentShare} />
        <AgentLinesChart share={d.agentShare} />
        <h2>Debt added and paid</h2>
        <DebtChart added={d.debtAdded} paid={d.debtPaid} />
      </section>
      <DebtTable title="Debt added this week" flow={d.debtAdded} />
      <DebtTable title="Debt paid this week" flow={d.debtPaid} withBy />

      <h2>Top hotspots</h2>
      <HotspotTable rows={d.hotspots} empty="No hotspots." withLines />

      <h2>New knowledge islands</h2>
      {d.islands.length === 0 ? (
        <p class="muted">None this week.</p>
      ) : (
        <ul class="islands">
          {d.islands.map((i) => (
            <Island island={i} links={links} />
          ))}
        </ul>
      )}

      <h2>Most stale areas</h2>
      {d.staleAreas.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="stale-areas">
          {d.staleAreas.map((a) => (
            <li>
              <code>{a.directory}</code>: {plural(a.symbols, 'symbol')}, weight {a.weight}; understood before by {a.engineers.join(', ')}
            </li>
          ))}
        </ul>
      )}

      <h2>Understanding that went stale</h2>
      {d.staleUnderstanding.length === 0 ? (
        <p class="muted">None this week.</p>
      ) : (
        <ul class="stale-understanding">
          {d.staleUnderstanding.map((e) => (
            <li data-engineer={e.engineer}>
              {links.engineer ? <a href={links.engineer(e.engineer)}>{e.engineer}</a> : e.engineer}: {plural(e.count, 'mark')}
              <ul>
                {e.items.map((i) => (
                  <li>
                    <code>{i.symbol === '' ? i.file : `${i.file}#${i.symbol}`}</code> ({i.level}) changed by <code>{i.commit.sha.slice(0, 8)}</code> by {i.commit.author}
                    {i.commit.agent ? ` (agent ${i.commit.agent})` : ''}, {i.commit.at.slice(0, 10)}
                  </li>
                ))}
                {e.count > e.items.length ? <li class="muted">… and {e.count - e.items.length} more</li> : null}
              </ul>
            </li>
          ))}
        </ul>
      )}

      <h2>Rubber-stamp reviews</h2>
      {d.rubberStamps.length === 0 ? (
        <p class="muted">None this week.</p>
      ) : (
        <ul class="rubber-stamps">
          {d.rubberStamps.map((r) => (
            <li>
              PR #{r.pr} {r.title}: approved by {r.reviewer ?? 'unknown'} — {r.reason ?? ''}
            </li>
          ))}
        </ul>
      )}

      <h2>Engineers</h2>
      <table class="engineers">
        <thead>
          <tr>
            <th>Engineer</th>
            <th class="num">Marks</th>
            <th class="num">viewed / reviewed / explained</th>
            <th class="num">Last week</th>
            <th class="num">Coverage</th>
            <th class="num">Stale marks</th>
          </tr>
        </thead>
        <tbody>
          {d.engineers.map((e) => (
            <tr>
              <td>{links.engineer ? <a href={links.engineer(e.handle)}>{e.handle}</a> : e.handle}</td>
              <td class="num">{e.marks.total}</td>
              <td class="num">
                {e.marks.viewed} / {e.marks.reviewed} / {e.marks.explained}
              </td>
              <td class="num">{e.previousMarks}</td>
              <td class="num">
                {percent(e.coverage)} <Change value={e.coverage} previous={e.previousCoverage} percent />
              </td>
              <td class="num">{e.staleMarks}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {d.unlinkedAuthors.length > 0 ? (
        <>
          <h2>Unlinked author identities</h2>
          <p class="muted">
            Link them with <code>grasp engineer alias &lt;handle&gt; --email &lt;address&gt;</code>.
          </p>
          <ul class="unlinked">
            {d.unlinkedAuthors.map((u) => (
              <li>
                {u.name} <code>{u.email}</code>: {plural(u.commits, 'commit')}, last {u.lastCommitAt.slice(0, 10)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}

/** A standalone HTML document (stylesheet inlined, no scripts) for `grasp digest --format html`. */
export async function renderDigestHtml(digest: Digest): Promise<string> {
  const doc = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>grasp digest {digest.week}</title>
        {/* Our own constant stylesheet, not untrusted text. */}
        <style dangerouslySetInnerHTML={{ __html: GRASP_CSS }} />
      </head>
      <body>
        <main>
          <DigestView digest={digest} />
        </main>
      </body>
    </html>
  );
  return `<!DOCTYPE html>\n${await doc.toString()}`;
}

/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * /engineers/:handle: the "what don't I understand" report (src/report/) as a page, each item with
 * Viewed / Reviewed / Explain forms. Marking it reviewed or explained makes the engineer understand
 * it, so it leaves the list on the redirect back. Stale items show the diff since the mark.
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
    <li class="item" data-target={targetOf(i)}>
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
      <MarkButtons target={targetOf(i)} back={props.back} viewer={props.viewer} />
    </li>
  );
}

export function EngineerPage(props: { report: EngineerReport; viewer: Viewer | null; path: string; notice: string | null }) {
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
      {r.items.length === 0 ? (
        <p class="notice empty">Nothing left: every agent-written symbol here is understood.</p>
      ) : (
        <ol class="items">
          {r.items.map((i) => (
            <Item item={i} viewer={props.viewer} back={props.path} />
          ))}
        </ol>
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

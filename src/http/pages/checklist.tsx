/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * /checklist?base=&head= and /prs/:n: the review checklist (src/checklist/) with a tick box per
 * item. Ticking items and submitting writes `reviewed` marks as the logged-in engineer; items
 * already reviewed at their current version come ticked and locked.
 */
import type { Checklist, ChecklistItem } from '../../checklist/types.ts';
import { symbolLabel } from '../../core/marks.ts';
import { Diff } from './components.tsx';
import { Layout, LoginPrompt } from './layout.tsx';
import type { Viewer } from './session.ts';

/** The mark target of an item, or null when nothing of it is left at head to mark. */
export function itemTarget(i: ChecklistItem): string | null {
  if (i.change === 'deleted') return null;
  return symbolLabel({ file: i.file, name: i.symbol });
}

export function RangeForm(props: { base: string; head: string; as: string; repo?: string }) {
  return (
    <form method="get" action="/checklist" class="range">
      {props.repo === undefined ? null : <input type="hidden" name="repo" value={props.repo} />}
      <label>
        base <input name="base" value={props.base} required maxlength={200} />
      </label>{' '}
      <label>
        head <input name="head" value={props.head} required maxlength={200} />
      </label>{' '}
      <label>
        as <input name="as" value={props.as} maxlength={64} placeholder="reviewer handle" />
      </label>{' '}
      <button type="submit">Show checklist</button>
    </form>
  );
}

function Row(props: { item: ChecklistItem; viewer: Viewer | null }) {
  const i = props.item;
  const target = itemTarget(i);
  const label = symbolLabel({ file: i.file, name: i.symbol });
  return (
    <li class="item" data-target={label}>
      <div class="item-head">
        {target ? (
          <label class="tick">
            <input
              type="checkbox"
              name="target"
              value={target}
              checked={i.alreadyReviewed}
              disabled={props.viewer === null || i.alreadyReviewed}
              data-reviewed={i.alreadyReviewed ? 'yes' : 'no'}
            />
            <code class="symbol">{label}</code>
          </label>
        ) : (
          <code class="symbol">{label}</code>
        )}
        <span class="muted">
          {i.kind}, {i.change}
          {i.line !== null ? `, line ${i.line}` : ''}
        </span>
        {i.alreadyReviewed ? <span class="tag done">already reviewed</span> : null}
        <span class="tag">
          agent {i.agentLines} / human {i.humanLines} lines
        </span>
      </div>
      {i.note ? <p class="muted">{i.note}</p> : null}
      {i.flags.length > 0 ? (
        <ul class="flags">
          {i.flags.map((f) => (
            <li>
              <span class="tag flag">{f.code}</span> {f.message}
              {f.line !== null ? <span class="muted"> (line {f.line})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {i.explanation ? (
        <details class="explanation" data-stale={i.explanation.stale ? 'yes' : 'no'}>
          <summary>
            Explained by {i.explanation.by} ({i.explanation.at.slice(0, 10)}){i.explanation.stale ? ' — stale: written for an earlier version' : ''}
          </summary>
          <blockquote>{i.explanation.note}</blockquote>
          {i.explanation.diff ? <Diff diff={i.explanation.diff} /> : null}
        </details>
      ) : null}
      {i.staleSince?.diff ? (
        <details>
          <summary>
            Changed since your {i.staleSince.level} mark of {i.staleSince.at.slice(0, 10)}
          </summary>
          <Diff diff={i.staleSince.diff} />
        </details>
      ) : null}
    </li>
  );
}

export function ChecklistPage(props: {
  title: string;
  checklist: Checklist | null;
  /** `repo`: the repository of a service that tracks several (kept by the range form and sent with the ticks). */
  form: { base: string; head: string; as: string; repo?: string };
  viewer: Viewer | null;
  path: string;
  notice: string | null;
}) {
  const c = props.checklist;
  return (
    <Layout title={props.title} viewer={props.viewer} path={props.path}>
      <h1>{props.title}</h1>
      <RangeForm {...props.form} />
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {c === null ? (
        <p class="muted">Give a commit range (base..head) to see what to read, in order, and what to check.</p>
      ) : (
        <>
          <p>
            <strong>{c.items.length}</strong> items, <strong>{c.counts.flags}</strong> flags, about <strong>{c.effortMinutes}</strong> minutes
            {c.as ? ` for ${c.as}` : ''}; {c.counts.alreadyReviewed} already reviewed. <span class="muted">({c.effortFormula})</span>
          </p>
          {c.reviewers.length > 0 ? <p>Who to ask: {c.reviewers.join(', ')}</p> : null}
          {c.warnings.map((w) => (
            <p class="notice">{w}</p>
          ))}
          {props.viewer === null ? <LoginPrompt path={props.path} what="tick items as reviewed" /> : null}
          <form method="post" action="/marks" class="checklist">
            <input type="hidden" name="level" value="reviewed" />
            <input type="hidden" name="back" value={props.path} />
            {props.form.repo === undefined ? null : <input type="hidden" name="repo" value={props.form.repo} />}
            <ol class="items">
              {c.items.map((i) => (
                <Row item={i} viewer={props.viewer} />
              ))}
            </ol>
            <button type="submit" disabled={props.viewer === null} data-action="tick-reviewed">
              Mark ticked items reviewed
            </button>
          </form>
          <h2>Commits in the range</h2>
          <ul class="commits">
            {c.commits.map((k) => (
              <li>
                <code>{k.sha.slice(0, 10)}</code> <span class="tag">{k.agent ?? k.kind}</span> <span class="subject">{k.subject}</span>
              </li>
            ))}
          </ul>
          {c.callers.length > 0 ? (
            <>
              <h2>Callers outside the range</h2>
              <ul>
                {c.callers.map((k) => (
                  <li>
                    <code>
                      {k.file}#{k.symbol}
                    </code>{' '}
                    {k.calls.length > 0 ? `calls ${k.calls.join(', ')}` : ''}
                    {k.references.length > 0 ? `${k.calls.length > 0 ? '; ' : ''}references ${k.references.join(', ')}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
    </Layout>
  );
}

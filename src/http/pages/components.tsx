/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** Small pieces several pages share: the mark buttons, diffs, percentages. */
import type { Viewer } from './session.ts';

/** A share as a percentage with one decimal, 'n/a' when unknown (the digest's formatter). */
export { percent as pct } from '../../digest/markdown.ts';

/** A unified diff, one span per line so additions and deletions get their colours (text stays escaped). */
export function Diff(props: { diff: string }) {
  const lines = props.diff.split('\n');
  // Drop the "Index:" / "====" preamble createTwoFilesPatch writes; keep ---/+++ and hunks.
  const start = lines.findIndex((l) => l.startsWith('---'));
  return (
    <pre class="diff">
      {(start >= 0 ? lines.slice(start) : lines).map((l) => (
        <span class={l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : undefined}>
          {l}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

/**
 * The three ways to mark one item: plain HTML forms posting to /marks, which records the mark as
 * the logged-in engineer and redirects back. Logged out, the buttons are shown disabled. `repo`
 * names the target's repository (a team service tracks several).
 */
export function MarkButtons(props: { target: string; back: string; viewer: Viewer | null; repo?: string }) {
  const disabled = props.viewer === null;
  const hidden = (level: string) => (
    <>
      {/* Which repository the target is in, for a service that tracks several (src/http/repo-scope.ts). */}
      {props.repo === undefined ? null : <input type="hidden" name="repo" value={props.repo} />}
      <input type="hidden" name="target" value={props.target} />
      <input type="hidden" name="level" value={level} />
      <input type="hidden" name="back" value={props.back} />
    </>
  );
  return (
    <div class="actions">
      <form method="post" action="/marks">
        {hidden('viewed')}
        <button type="submit" name="action" value="viewed" disabled={disabled} data-action="viewed">
          Viewed
        </button>
      </form>
      <form method="post" action="/marks">
        {hidden('reviewed')}
        <button type="submit" name="action" value="reviewed" disabled={disabled} data-action="reviewed">
          Reviewed
        </button>
      </form>
      <form method="post" action="/marks" class="explain">
        {hidden('explained')}
        <textarea name="note" required maxlength={16000} placeholder="Explain what it does and why, in your words" disabled={disabled} aria-label="explanation"></textarea>
        <button type="submit" name="action" value="explained" disabled={disabled} data-action="explain">
          Explain
        </button>
      </form>
    </div>
  );
}

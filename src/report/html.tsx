/**
 * The engineer report as a standalone HTML fragment (one <section>, no scripts, classes for the
 * page's stylesheet), rendered with hono/jsx, which escapes every text and attribute value: names,
 * paths, code and diffs from commits can only ever render as text.
 */
import type { FC } from 'hono/jsx';
import type { EngineerReport, ReportItem } from './engineer-report.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

const Item: FC<{ item: ReportItem; rank: number }> = ({ item, rank }) => (
  <li class={item.stale ? 'grasp-item grasp-stale' : 'grasp-item'} data-file={item.file} data-symbol={item.symbol}>
    <h3>
      <span class="grasp-rank">{rank}.</span> <code>{item.symbol}</code> <span class="grasp-kind">{item.kind}</span>
      {item.stale ? <span class="grasp-badge">stale</span> : null}
    </h3>
    <p class="grasp-where">
      <code>{item.file}</code> lines {item.startLine}–{item.endLine} · score {num(item.score)} · debt {num(item.debt)}
    </p>
    <ul class="grasp-reasons">
      {item.reasons.map((r) => (
        <li>{r}</li>
      ))}
    </ul>
    <p class="grasp-who">
      Understood by: {item.understoodBy.length === 0 ? 'nobody yet' : `${item.understoodBy.join(', ')} (ask them)`}
      {item.viewedBy.length > 0 ? ` · viewed (not counted) by ${item.viewedBy.join(', ')}` : ''}
    </p>
    {item.diff ? (
      <details class="grasp-diff">
        <summary>What changed since your mark</summary>
        <pre>{item.diff}</pre>
      </details>
    ) : null}
    {item.explanation ? (
      <details class="grasp-explanation" data-stale={item.explanation.stale ? 'yes' : 'no'}>
        <summary>
          Explained by {item.explanation.by} on {item.explanation.at.slice(0, 10)}
          {item.explanation.stale ? ' (stale: written for an earlier version)' : ''}
        </summary>
        <blockquote>{item.explanation.note}</blockquote>
        {item.explanation.diff ? <pre>{item.explanation.diff}</pre> : null}
      </details>
    ) : null}
  </li>
);

export const EngineerReportView: FC<{ report: EngineerReport }> = ({ report }) => (
  <section class="grasp-report" data-engineer={report.engineer}>
    <h2>
      What {report.engineer} doesn't understand yet{report.scope ? ` in ${report.scope}` : ''}
    </h2>
    <dl class="grasp-summary">
      <dt>My coverage</dt>
      <dd data-key="myCoverage">{pct(report.summary.myCoverage)}</dd>
      <dt>Team coverage</dt>
      <dd data-key="teamCoverage">{pct(report.summary.teamCoverage)}</dd>
      <dt>Debt in my area</dt>
      <dd data-key="debt">{num(report.summary.debt)}</dd>
      <dt>Stale marks</dt>
      <dd data-key="staleMarks">{report.summary.staleMarks}</dd>
    </dl>
    {report.items.length === 0 ? (
      <p class="grasp-empty">Nothing to read: you understand every agent-written symbol here.</p>
    ) : (
      <ol class="grasp-items">
        {report.items.map((item, i) => (
          <Item item={item} rank={i + 1} />
        ))}
      </ol>
    )}
    {report.rubberStamps.length > 0 ? (
      <section class="grasp-rubber-stamps">
        <h3>Rubber-stamp approvals touching your area</h3>
        <ul>
          {report.rubberStamps.map((s) => (
            <li>
              PR #{s.number} {s.title}: approved by {s.reviewer ?? 'someone'}
              {s.submittedAt ? ` on ${s.submittedAt.slice(0, 10)}` : ''}
              {s.reason ? ` — ${s.reason}` : ''}
            </li>
          ))}
        </ul>
      </section>
    ) : null}
    <p class="grasp-generated">Generated {report.generatedAt}</p>
  </section>
);

/** The fragment as a string (the CLI prints it; pages embed the component). */
export async function engineerReportHtml(report: EngineerReport): Promise<string> {
  return String(await (<EngineerReportView report={report} />).toString());
}

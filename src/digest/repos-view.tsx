/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** The digest's per-repository table with the team's total row (HTML; pages and `--format html`). */
import { percent } from './markdown.ts';
import type { RepoDigest, RepoFigures, ShareOfTotal } from './types.ts';

function Share(props: { share: ShareOfTotal }) {
  return (
    <>
      {percent(props.share.share)}{' '}
      <span class="muted">
        ({props.share.agent}/{props.share.total})
      </span>
    </>
  );
}

function Cells(props: { row: RepoFigures }) {
  const r = props.row;
  const top = r.topItems[0];
  return (
    <>
      <td class="num" data-figure="commits">
        {r.commits}
      </td>
      <td class="num" data-figure="agent-lines">
        <Share share={r.agentShare.lines} />
      </td>
      <td class="num" data-figure="agent-commits">
        <Share share={r.agentShare.commits} />
      </td>
      <td class="num" data-figure="coverage">
        {percent(r.coverage.value)}{' '}
        <span class="muted">
          ({r.coverage.understoodWeight}/{r.coverage.weight})
        </span>
      </td>
      <td class="num" data-figure="debt">
        {r.debt}
      </td>
      <td class="num" data-figure="debt-added">
        {r.debtAdded.value}
      </td>
      <td>
        {top ? (
          <>
            <code>{top.symbol === '' ? top.file : `${top.file}#${top.symbol}`}</code> {top.debt}
          </>
        ) : (
          <span class="muted">–</span>
        )}
      </td>
    </>
  );
}

export function RepoTable(props: { repos: readonly RepoDigest[]; totals: RepoFigures; link?: (name: string) => string }) {
  return (
    <table class="repos">
      <thead>
        <tr>
          <th>Repository</th>
          <th class="num">Commits</th>
          <th class="num">Agent share of lines</th>
          <th class="num">Agent share of commits</th>
          <th class="num">Coverage (understood/weight)</th>
          <th class="num">Debt</th>
          <th class="num">New debt</th>
          <th>Top item</th>
        </tr>
      </thead>
      <tbody>
        {props.repos.map((r) => (
          <tr data-repo={r.name}>
            <td>{props.link ? <a href={props.link(r.name)}>{r.name}</a> : r.name}</td>
            <Cells row={r} />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr class="total" data-repo="">
          <th scope="row">Total</th>
          <Cells row={props.totals} />
        </tr>
      </tfoot>
    </table>
  );
}

/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Inline SVG charts for the digest: server-rendered, readable without JavaScript, no inline styles
 * (colours come from classes in the stylesheet, so a strict Content-Security-Policy holds).
 * Every data point carries `data-value` (and a <title> tooltip) so tests and readers can check it.
 */
import type { Digest } from './types.ts';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`);
const fmt = (x: number): string => `${Math.round(x * 10) / 10}`;

const WIDTH = 560;

/** Team coverage over the trend weeks: a line with one circle per week, 0-100% on the y axis. */
export function CoverageTrendChart(props: { trend: Digest['coverageTrend'] }) {
  const { trend } = props;
  const height = 200;
  const pad = { left: 44, right: 16, top: 14, bottom: 30 };
  const plotW = WIDTH - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (trend.length <= 1 ? plotW / 2 : (i * plotW) / (trend.length - 1));
  const y = (v: number) => pad.top + plotH * (1 - Math.min(1, Math.max(0, v)));
  const points = trend.map((t, i) => `${x(i).toFixed(1)},${y(t.coverage).toFixed(1)}`).join(' ');
  return (
    <svg class="chart coverage-trend" role="img" aria-labelledby="coverage-trend-title" viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height}>
      <title id="coverage-trend-title">Team coverage, last {trend.length} weeks</title>
      {[0, 0.5, 1].map((v) => (
        <g class="grid">
          <line x1={pad.left} x2={WIDTH - pad.right} y1={y(v)} y2={y(v)} />
          <text x={pad.left - 6} y={y(v) + 4} text-anchor="end">
            {pct(v)}
          </text>
        </g>
      ))}
      <polyline class="trend-line" points={points} fill="none" />
      {trend.map((t, i) => (
        <g class="point-group">
          <circle class="point" cx={x(i)} cy={y(t.coverage)} r={4} data-week={t.week} data-value={String(t.coverage)}>
            <title>
              {t.week}: {pct(t.coverage)}
            </title>
          </circle>
          <text class="axis-label" x={x(i)} y={height - 10} text-anchor="middle">
            {t.week.slice(5)}
          </text>
        </g>
      ))}
    </svg>
  );
}

interface BarRow {
  label: string;
  value: number;
  /** Text shown after the bar. */
  shown: string;
  className: string;
}

/** Horizontal bars, one row each, scaled to `max`. */
function BarChart(props: { id: string; title: string; rows: BarRow[]; max: number }) {
  const rowH = 26;
  const labelW = 170;
  const valueW = 80;
  const height = props.rows.length * rowH + 8;
  const barMax = WIDTH - labelW - valueW;
  return (
    <svg class={`chart ${props.id}`} role="img" aria-labelledby={`${props.id}-title`} viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height}>
      <title id={`${props.id}-title`}>{props.title}</title>
      {props.rows.map((r, i) => {
        const w = props.max > 0 ? (Math.max(0, r.value) / props.max) * barMax : 0;
        return (
          <g class="bar-row">
            <text x={labelW - 8} y={i * rowH + 18} text-anchor="end">
              {r.label}
            </text>
            <rect class={`bar ${r.className}`} x={labelW} y={i * rowH + 5} width={Math.max(w, r.value > 0 ? 1 : 0).toFixed(1)} height={rowH - 8} data-value={String(r.value)}>
              <title>
                {r.label}: {r.shown}
              </title>
            </rect>
            <text class="bar-value" x={labelW + w + 6} y={i * rowH + 18}>
              {r.shown}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Agent share of changed lines and of commits, this week against last week. */
export function AgentShareChart(props: { share: Digest['agentShare'] }) {
  const { lines, commits } = props.share;
  const rows: BarRow[] = [
    { label: 'lines, this week', value: lines.share ?? 0, shown: pct(lines.share), className: 'this-week' },
    { label: 'lines, last week', value: lines.previousShare ?? 0, shown: pct(lines.previousShare), className: 'last-week' },
    { label: 'commits, this week', value: commits.share ?? 0, shown: pct(commits.share), className: 'this-week' },
    { label: 'commits, last week', value: commits.previousShare ?? 0, shown: pct(commits.previousShare), className: 'last-week' },
  ];
  return <BarChart id="agent-share" title="Agent share of changed lines and commits" rows={rows} max={1} />;
}

/** Changed lines per agent, this week and last week. */
export function AgentLinesChart(props: { share: Digest['agentShare'] }) {
  const rows: BarRow[] = props.share.byAgent.flatMap((a) => [
    { label: `${a.agent}, this week`, value: a.lines, shown: `${a.lines} lines`, className: 'this-week' },
    { label: `${a.agent}, last week`, value: a.previousLines, shown: `${a.previousLines} lines`, className: 'last-week' },
  ]);
  if (rows.length === 0) return <p class="muted">No agent commits in either week.</p>;
  return <BarChart id="agent-lines" title="Changed lines per agent" rows={rows} max={Math.max(...rows.map((r) => r.value))} />;
}

/** Debt added against debt paid, this week and last week. */
export function DebtChart(props: { added: Digest['debtAdded']; paid: Digest['debtPaid'] }) {
  const { added, paid } = props;
  const rows: BarRow[] = [
    { label: 'added, this week', value: added.value, shown: fmt(added.value), className: 'debt-added' },
    { label: 'paid, this week', value: paid.value, shown: fmt(paid.value), className: 'debt-paid' },
    { label: 'added, last week', value: added.previous, shown: fmt(added.previous), className: 'debt-added last' },
    { label: 'paid, last week', value: paid.previous, shown: fmt(paid.previous), className: 'debt-paid last' },
  ];
  return <BarChart id="debt-flow" title="Debt added and paid" rows={rows} max={Math.max(1, ...rows.map((r) => r.value))} />;
}

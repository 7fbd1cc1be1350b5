/**
 * The one stylesheet of the pages and of the standalone digest HTML. Served as /assets/grasp.css
 * (so the pages' Content-Security-Policy can forbid inline styles) and inlined in `--out` files.
 */
export const GRASP_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --accent: #0969da;
  --good: #1a7f37; --bad: #cf222e; --warn: #9a6700; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
header.top { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--soft); flex-wrap: wrap; }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
header.top nav { display: flex; gap: 1rem; flex-wrap: wrap; }
header.top .who { margin-left: auto; display: flex; gap: .6rem; align-items: center; }
main { max-width: 1040px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; margin: .6rem 0; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: var(--soft); }
tfoot tr.total th, tfoot tr.total td { font-weight: 700; border-top: 2px solid var(--line); }
h2.repo-group { display: flex; gap: .8rem; align-items: baseline; flex-wrap: wrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .88em; }
pre { background: var(--soft); padding: .6rem; overflow-x: auto; border: 1px solid var(--line); }
pre.diff .add { color: var(--good); } pre.diff .del { color: var(--bad); }
.muted { color: var(--muted); }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: .8rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; min-width: 150px; }
.card .value { font-size: 1.5rem; font-weight: 700; }
.card .label { color: var(--muted); font-size: .85rem; }
.good { color: var(--good); } .bad { color: var(--bad); }
.notice { border: 1px solid var(--line); background: var(--soft); padding: .5rem .8rem; border-radius: 6px; margin: .8rem 0; }
.error { border-color: var(--bad); color: var(--bad); }
ol.items { padding-left: 1.4rem; }
ol.items > li { margin: 0 0 1.2rem; padding-bottom: .8rem; border-bottom: 1px solid var(--line); }
.item-head { display: flex; gap: .6rem; flex-wrap: wrap; align-items: baseline; }
.reasons { margin: .3rem 0; padding-left: 1.2rem; color: var(--muted); }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: flex-start; margin-top: .4rem; }
.actions form { margin: 0; }
.actions textarea { width: 26rem; max-width: 100%; min-height: 3.2rem; }
button { font: inherit; padding: .25rem .7rem; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); cursor: pointer; }
button:disabled { cursor: not-allowed; opacity: .6; }
.tag { font-size: .78rem; padding: 0 .4rem; border-radius: 4px; border: 1px solid var(--line); color: var(--muted); }
.tag.stale { color: var(--warn); border-color: var(--warn); }
.tag.flag { color: var(--bad); border-color: var(--bad); }
.tag.done { color: var(--good); border-color: var(--good); }
svg.chart { max-width: 100%; height: auto; display: block; margin: .4rem 0 1rem; }
svg.chart text { font-size: 11px; fill: var(--muted); }
svg.chart .grid line { stroke: var(--line); stroke-width: 1; }
svg.chart .trend-line { stroke: var(--accent); stroke-width: 2; }
svg.chart .point { fill: var(--accent); }
svg.chart .bar.this-week { fill: var(--accent); } svg.chart .bar.last-week { fill: #9cc3f5; }
svg.chart .bar.debt-added { fill: var(--bad); } svg.chart .bar.debt-paid { fill: var(--good); }
svg.chart .bar.last { opacity: .45; }
svg.chart .bar-value { fill: var(--fg); }
.charts { display: grid; grid-template-columns: 1fr; gap: .5rem; }
label.tick { display: inline-flex; gap: .3rem; align-items: center; }
form.inline { display: inline; }
`;

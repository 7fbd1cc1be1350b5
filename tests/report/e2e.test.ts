/**
 * End to end on a real git repository: agent commits (Claude trailer) and a human commit, real
 * ingest and ts-morph analysis, marks by two engineers through the marks repository, then the
 * exact ranking and numbers (computed here from the formulas and the code written below); then a
 * real change to a reviewed symbol makes the mark stale and moves the symbol back into the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { complexityWeight } from '../../src/core/debt.ts';
import { ASK_A_COLLEAGUE_FACTOR, BOOST } from '../../src/core/relevance.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { getCurrentSymbols } from '../../src/db/repo/symbols.ts';
import type { Store, RepoStore } from '../../src/db/store.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { buildEngineerReport } from '../../src/report/engineer-report.ts';
import { GitFixture, HUMAN, HUMAN2 } from '../helpers/git-fixture.ts';
import { openTempRepoStore } from '../helpers/marks-seed.ts';

const CLAUDE = '\n\nCo-authored-by: Claude <noreply@anthropic.com>\n';
const NOW_MS = Date.parse('2026-11-20T00:00:00Z');

// Each function: its line count and complexity by the analysis rules (1 + branches, loops, && || ?? ?:).
const PARSE = `export function parseConfig(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\\n')) {
    if (line.trim() === '') continue;
    const [key, value] = line.split('=');
    if (key && value) out[key.trim()] = value.trim();
  }
  return out;
}
`; // 9 lines; 1 + for + if + if + && = 5
const FORMAT = `export function formatOutput(values: string[]): string {
  return values.join(', ');
}
`; // 3 lines; 1
const VALIDATE = `export function validateKey(key: string): boolean {
  return /^[a-z]+$/.test(key) || key === 'id';
}
`; // 3 lines; 1 + || = 2
const RENDER_V1 = `export function renderPage(title: string, items: string[]): string {
  let html = '<h1>' + title + '</h1>';
  for (const item of items) {
    html += item.length > 20 ? '<li class="long">' + item + '</li>' : '<li>' + item + '</li>';
  }
  return html;
}
`; // 7 lines; 1 + for + ?: = 3
const RENDER_V2 = `export function renderPage(title: string, items: string[]): string {
  let html = '<h1>' + title + '</h1>';
  if (items.length === 0) return html + '<p>empty</p>';
  for (const item of items) {
    html += item.length > 20 ? '<li class="long">' + item + '</li>' : '<li>' + item + '</li>';
  }
  return html;
}
`; // 8 lines; 1 + if + for + ?: = 4
const HELPER = `export function helperThing(n: number): number {
  if (n > 0) return n * 2;
  return 0;
}
`; // 4 lines; 2
const UTIL = `import { renderPage } from '../web/render';

export function homePage(): string {
  return renderPage('Home', ['a', 'b']);
}
`;

let repo: GitFixture;
let store: RepoStore;
const ada = { id: 0, handle: 'ada' };
const bob = { id: 0, handle: 'bob' };

const weight = (lines: number, complexity: number) => lines * complexityWeight(complexity);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function refresh() {
  await ingestRepository(store, repo.dir);
  await analyzeRepository(store, repo.dir);
}

beforeAll(async () => {
  repo = new GitFixture();
  store = openTempRepoStore();
  repo.write('src/core/parse.ts', `${PARSE}\n${FORMAT}\n${VALIDATE}`).commit({ author: HUMAN, message: `feat: config parsing${CLAUDE}` });
  repo.write('src/web/render.ts', `${RENDER_V1}\n${HELPER}`).commit({ author: HUMAN2, message: `feat: rendering${CLAUDE}` });
  repo.write('src/core/util.ts', UTIL).commit({ author: HUMAN, message: 'home page by hand' });
  await refresh();
  ada.id = (await addEngineer(store, { handle: 'ada', emails: [HUMAN.email] }, NOW_MS)).id;
  bob.id = (await addEngineer(store, { handle: 'bob', emails: [HUMAN2.email] }, NOW_MS)).id;
  const at = NOW_MS - 86_400_000;
  await recordMarks(store, { engineer: bob, target: 'src/core/parse.ts#formatOutput', level: 'reviewed', source: 'cli', now: at });
  await recordMarks(store, { engineer: ada, target: 'src/core/parse.ts#validateKey', level: 'explained', note: 'keys are lower-case words or "id"', source: 'cli', now: at });
  await recordMarks(store, { engineer: ada, target: 'src/web/render.ts#renderPage', level: 'reviewed', source: 'cli', now: at });
  await recordMarks(store, { engineer: ada, target: 'src/web/render.ts#helperThing', level: 'viewed', source: 'cli', now: at });
});

afterAll(() => {
  store?.close();
  repo?.cleanup();
});

describe('report on a real repository', () => {
  it('the analysis gives the line counts and complexities the expectations below are built on', async () => {
    const rows = new Map((await getCurrentSymbols(store)).map((s) => [s.name, s]));
    const facts = (name: string) => {
      const s = rows.get(name)!;
      return { lines: s.endLine - s.startLine + 1, complexity: s.complexity, agentLines: s.agentLines, humanLines: s.humanLines };
    };
    expect(facts('parseConfig')).toEqual({ lines: 9, complexity: 5, agentLines: 9, humanLines: 0 });
    expect(facts('formatOutput')).toEqual({ lines: 3, complexity: 1, agentLines: 3, humanLines: 0 });
    expect(facts('validateKey')).toEqual({ lines: 3, complexity: 2, agentLines: 3, humanLines: 0 });
    expect(facts('renderPage')).toEqual({ lines: 7, complexity: 3, agentLines: 7, humanLines: 0 });
    expect(facts('helperThing')).toEqual({ lines: 4, complexity: 2, agentLines: 4, humanLines: 0 });
    expect(facts('homePage')).toMatchObject({ complexity: 1, agentLines: 0 });
  });

  it('ranks what ada does not understand, with exact scores and summary', async () => {
    const r = await buildEngineerReport(store, 'ada', { now: NOW_MS });
    const parse = weight(9, 5);
    const format = weight(3, 1);
    const validate = weight(3, 2);
    const render = weight(7, 3);
    const helper = weight(4, 2);
    // parse.ts is ada's file (she committed it) and holds lines she committed: +2 +2.
    // helperThing: bob's file, not referenced by her homePage (which calls renderPage): no boost.
    const own = 1 + BOOST.ownFile + BOOST.ownLines;
    expect(r.items.map((i) => [i.symbol, i.score, i.debt, i.stale])).toEqual([
      ['parseConfig', round(parse * own), round(parse), false],
      ['helperThing', round(helper), round(helper), false],
      ['formatOutput', round(format * ASK_A_COLLEAGUE_FACTOR * own), 0, false],
    ]);
    expect(r.items.find((i) => i.symbol === 'formatOutput')!.understoodBy).toEqual(['bob']);
    expect(r.items.find((i) => i.symbol === 'helperThing')!.viewedBy).toEqual(['ada']);
    const parseItem = r.items[0]!;
    expect(parseItem.reasons[0]).toMatch(/^claude wrote 9 lines in [0-9a-f]{7} on 2026-11-02$/);
    expect(parseItem.reasons).toContain('complexity 5');
    // Her area: parse.ts and util.ts (files she changed); agent weight there: parse, format, validate.
    expect(r.summary).toEqual({
      myCoverage: round(validate / (parse + format + validate), 4),
      teamCoverage: round((format + validate + render) / (parse + format + validate + render + helper), 4),
      debt: round(parse),
      staleMarks: 0,
    });
  });

  it('a real change to the symbol ada reviewed makes her mark stale and brings it back, with the diff', async () => {
    repo.write('src/web/render.ts', `${RENDER_V2}\n${HELPER}`).commit({ author: HUMAN2, message: `fix: empty pages${CLAUDE}` });
    await refresh();
    const r = await buildEngineerReport(store, 'ada', { now: NOW_MS });
    const render = weight(8, 4);
    // homePage (her recent change) calls renderPage: +reference; her mark is stale: +stale.
    const boost = 1 + BOOST.reference + BOOST.staleMark;
    const item = r.items.find((i) => i.symbol === 'renderPage')!;
    expect(item).toMatchObject({ stale: true, debt: round(render), score: round(render * boost), understoodBy: [] });
    expect(item.reasons).toContain('used by your recent change to homePage');
    expect(item.reasons.some((x) => x.startsWith('you reviewed an earlier version') && x.includes('(stale)'))).toBe(true);
    expect(item.diff).toContain("+  if (items.length === 0) return html + '<p>empty</p>';");
    expect(r.items.map((i) => i.symbol)).toEqual(['parseConfig', 'renderPage', 'helperThing', 'formatOutput']);
    expect(r.summary.staleMarks).toBe(1);
    // bob's own report never lists renderPage as understood by ada any more.
    const forBob = await buildEngineerReport(store, 'bob', { now: NOW_MS });
    expect(forBob.items.find((i) => i.symbol === 'renderPage')!.understoodBy).toEqual([]);
  });
});

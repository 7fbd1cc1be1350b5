/** The checklist's pure parts: net change, reading order, effort, reviewer state, Markdown safety and size. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTestPath, netFileChanges, netSymbolChanges, type FileChangeFact, type SymbolChangeFact } from '../../src/checklist/aggregate.ts';
import { importedModules } from '../../src/checklist/callers.ts';
import { CHECKLIST_MARKER, codeSpan, escapeMarkdown, formatChecklistMarkdown, MAX_COMMENT_CHARS } from '../../src/checklist/markdown.ts';
import { latestByEngineerAndHash, rankReviewers, reviewerState, type MarkFact } from '../../src/checklist/reviewer.ts';
import { identifiersOf } from '../../src/checklist/source.ts';
import type { Checklist, ChecklistItem } from '../../src/checklist/types.ts';
import { effortMinutes, itemMinutes } from '../../src/core/effort.ts';
import { calleesFirst, readingOrder, type ReadingNode } from '../../src/core/reading-order.ts';

const change = (over: Partial<SymbolChangeFact>): SymbolChangeFact => ({
  sha: 's',
  seq: 1,
  file: 'src/a.ts',
  name: 'f',
  symbolId: 1,
  kind: 'function',
  change: 'modified',
  oldFile: null,
  oldName: null,
  hash: 'h1',
  oldHash: 'h0',
  startLine: 1,
  endLine: 3,
  exported: false,
  complexity: 1,
  oldComplexity: 1,
  agentLines: 0,
  humanLines: 0,
  ...over,
});

describe('net change over a range', () => {
  it('merges a symbol touched by several commits into one change from first to last version', () => {
    const [net] = netSymbolChanges([
      change({ seq: 2, hash: 'h2', oldHash: 'h1', complexity: 6, oldComplexity: 3, agentLines: 4 }),
      change({ seq: 1, hash: 'h1', oldHash: 'h0', complexity: 3, oldComplexity: 1, humanLines: 2 }),
    ]);
    expect(net).toMatchObject({ change: 'modified', oldHash: 'h0', hash: 'h2', versions: ['h0', 'h1', 'h2'], complexity: 6, oldComplexity: 1, agentLines: 4, humanLines: 2 });
  });

  it('drops what was added and deleted, or changed and changed back, within the range', () => {
    expect(netSymbolChanges([change({ seq: 1, change: 'added', oldHash: null }), change({ seq: 2, change: 'deleted', hash: null, oldHash: 'h1' })])).toEqual([]);
    expect(netSymbolChanges([change({ seq: 1, hash: 'h1', oldHash: 'h0' }), change({ seq: 2, hash: 'h0', oldHash: 'h1' })])).toEqual([]);
  });

  it('reports moves and renames with where the symbol came from', () => {
    const [moved] = netSymbolChanges([change({ change: 'moved', file: 'src/b.ts', oldFile: 'src/a.ts', hash: 'h0', oldHash: 'h0' })]);
    expect(moved).toMatchObject({ change: 'moved', file: 'src/b.ts', oldFile: 'src/a.ts', oldName: null });
    const [renamedAndEdited] = netSymbolChanges([change({ name: 'g', oldName: 'f', hash: 'h1', oldHash: 'h0' })]);
    expect(renamedAndEdited).toMatchObject({ change: 'modified', name: 'g', oldName: 'f' });
  });

  const fileRow = (over: Partial<FileChangeFact>): FileChangeFact => ({
    sha: 's',
    seq: 1,
    idx: 0,
    path: 'a.txt',
    oldPath: null,
    status: 'M',
    added: 1,
    deleted: 1,
    binary: false,
    oldBlob: 'b0',
    newBlob: 'b1',
    viaMerge: false,
    kind: 'human',
    ...over,
  });

  it('follows a file across a rename and sums its lines; unknown counts stay unknown', () => {
    const files = netFileChanges([
      fileRow({ seq: 1, path: 'a.txt', oldBlob: 'b0', newBlob: 'b1', added: 2, deleted: 0, kind: 'agent' }),
      fileRow({ seq: 2, path: 'b.txt', oldPath: 'a.txt', status: 'R090', oldBlob: 'b1', newBlob: 'b2', added: 1, deleted: 1 }),
      fileRow({ seq: 1, path: 'logo.png', status: 'A', oldBlob: null, newBlob: 'p1', added: null, deleted: null, binary: true }),
    ]);
    expect(files).toEqual([
      expect.objectContaining({ path: 'b.txt', oldPath: 'a.txt', change: 'modified', baseBlob: 'b0', headBlob: 'b2', changedLines: 4, agentLines: 2, humanLines: 1 }),
      expect.objectContaining({ path: 'logo.png', change: 'added', binary: true, changedLines: null }),
    ]);
  });

  it('knows test paths', () => {
    for (const p of ['src/a.test.ts', 'tests/x.ts', 'src/__tests__/y.tsx', 'lib/a.spec.mjs', 'pkg/b_test.js']) expect(isTestPath(p)).toBe(true);
    for (const p of ['src/testing.ts', 'src/latest.ts', 'contest/a.ts']) expect(isTestPath(p)).toBe(false);
  });
});

const node = (key: string, group: ReadingNode['group'], text: string, line = 1, file = 'src/a.ts'): ReadingNode => ({
  key,
  name: key,
  file,
  line,
  group,
  mentions: identifiersOf(text),
});

describe('reading order', () => {
  it('puts callees before callers whatever their position, groups in order', () => {
    const order = readingOrder([
      node('test1', 'test', 'caller()', 1, 'tests/a.test.ts'),
      node('caller', 'implementation', 'middle(); leaf()', 1),
      node('middle', 'implementation', 'leaf()', 5),
      node('leaf', 'implementation', 'return 1', 9),
      node('Job', 'contract', 'interface Job {}', 20),
      node('outside', 'caller', 'caller()', 1, 'src/z.ts'),
    ]);
    expect(order.map((o) => `${o.order}:${o.key}`)).toEqual(['1:Job', '2:leaf', '3:middle', '4:caller', '5:outside', '6:test1']);
  });

  it('breaks cycles deterministically by file and line, whatever the input order', () => {
    const nodes = [node('a', 'implementation', 'b()', 3), node('b', 'implementation', 'a()', 1), node('c', 'implementation', 'a()', 2)];
    const expected = ['b', 'a', 'c'];
    fc.assert(
      fc.property(fc.shuffledSubarray(nodes, { minLength: 3, maxLength: 3 }), (shuffled) => {
        expect(calleesFirst(shuffled).map((n) => n.key)).toEqual(expected);
      }),
    );
  });
});

describe('effort', () => {
  it('follows the stated formula', () => {
    // 50 lines / 5 + (9 - 1) / 4 + 2 code flags * 0.5 = 10 + 2 + 1 = 13
    expect(itemMinutes({ changedLines: 50, complexity: 9, flags: 2, opaque: false, skip: false })).toBe(13);
    expect(effortMinutes([
      { changedLines: 50, complexity: 9, flags: 2, opaque: false, skip: false },
      { changedLines: 0, complexity: null, flags: 0, opaque: true, skip: false },
      { changedLines: 500, complexity: 30, flags: 9, opaque: false, skip: true },
    ])).toBe(14);
    expect(effortMinutes([{ changedLines: 1, complexity: 1, flags: 0, opaque: false, skip: false }])).toBe(1);
    expect(effortMinutes([])).toBe(0);
  });
});

describe('reviewer state and who to ask', () => {
  const mark = (over: Partial<MarkFact>): MarkFact => ({ id: 1, engineerId: 1, repoId: 1, symbolId: 7, file: 'src/a.ts', name: 'f', hash: 'h1', level: 'reviewed', createdAt: 100, ...over });
  const identity = { symbolId: 7, places: [{ file: 'src/a.ts', name: 'f' }], hash: 'h2', versions: ['h1', 'h2'] };

  it('collapses a fresh review, shows a stale one, ignores a fresh view', () => {
    expect(reviewerState([mark({ hash: 'h2' })], identity)).toEqual({ alreadyReviewed: true, stale: null });
    expect(reviewerState([mark({ hash: 'h1' })], identity).stale?.hash).toBe('h1');
    expect(reviewerState([mark({ hash: 'h2', level: 'viewed' })], identity)).toEqual({ alreadyReviewed: false, stale: null });
    // A later "viewed" on the same version replaces the earlier review.
    expect(reviewerState([mark({ hash: 'h2' }), mark({ id: 2, hash: 'h2', level: 'viewed', createdAt: 200 })], identity).alreadyReviewed).toBe(false);
  });

  it('ranks engineers by what they understand, leaving out the reviewer', () => {
    const latest = latestByEngineerAndHash([
      mark({ engineerId: 1, hash: 'h2' }),
      mark({ id: 2, engineerId: 2, hash: 'h1' }),
      mark({ id: 3, engineerId: 3, hash: 'h2', level: 'viewed' }),
    ]);
    const handles = new Map([[1, 'ada'], [2, 'bob'], [3, 'cy'], [4, 'dee']]);
    const items = [{ hash: 'h2', versions: ['h1', 'h2'], priorAuthors: new Set([4]) }];
    expect(rankReviewers(items, latest, handles, null)).toEqual(['ada', 'bob', 'dee']);
    expect(rankReviewers(items, latest, handles, 1)).toEqual(['bob', 'dee']);
  });
});

describe('callers: imports', () => {
  it('resolves relative imports to module paths', () => {
    const text = "import { a } from './store';\nimport b from '../lib/index.js';\nexport * from \"./types.ts\";\nimport x from 'hono';";
    expect([...importedModules('src/app/main.ts', text)].sort()).toEqual(['src/app/store', 'src/app/types', 'src/lib']);
  });
});

const emptyChecklist = (over: Partial<Checklist> = {}): Checklist => ({
  base: 'a'.repeat(40),
  head: 'b'.repeat(40),
  as: null,
  effortMinutes: 0,
  effortFormula: 'minutes = 0',
  agentSummary: null,
  reviewers: [],
  counts: { commits: 0, items: 0, flags: 0, alreadyReviewed: 0, agentLines: 0, humanLines: 0 },
  commits: [],
  items: [],
  callers: [],
  warnings: [],
  ...over,
});

const itemOf = (order: number, over: Partial<ChecklistItem> = {}): ChecklistItem => ({
  order,
  symbol: `sym${order}`,
  kind: 'function',
  category: 'production',
  minutes: 1,
  file: 'src/a.ts',
  line: order,
  change: 'modified',
  oldFile: null,
  oldSymbol: null,
  group: 'implementation',
  agentLines: 1,
  humanLines: 0,
  changedLines: 3,
  complexity: 2,
  oldComplexity: 1,
  note: null,
  alreadyReviewed: false,
  staleSince: null,
  flags: [{ code: 'security', message: 'runs a child process (`exec`)', line: order }],
  hash: `h${order}`,
  symbolId: order,
  understood: false,
  ...over,
});

/** Markdown with fenced blocks and code spans removed (CommonMark: a fence closes only with its own run). */
function outsideCode(md: string): string {
  return md.replace(/^( *)(`{3,})\w*\n[\s\S]*?\n\1\2$/gm, '').replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '');
}

describe('Markdown', () => {
  it('escapes untrusted text and fences code spans around backticks', () => {
    expect(escapeMarkdown('<b>*x*</b> [l](u) @all\u001b[31m')).toBe('&lt;b&gt;\\*x\\*&lt;/b&gt; \\[l\\](u) @\u200ball');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(codeSpan('<!-- hi -->')).not.toContain('<!--');
  });

  it('never lets untrusted text forge the marker, open HTML or break out of a code fence', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.constantFrom('<!-- grasp:checklist -->', '<script>alert(1)</script>', '```\n<img src=x>', '\u001b]8;;http://x\u0007', '`` ` ``', '<!--'),
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, (subject, name, path) => {
        const md = formatChecklistMarkdown(
          emptyChecklist({
            commits: [{ sha: 'c'.repeat(40), subject, kind: 'agent', agent: name }],
            items: [
              itemOf(1, {
                symbol: name,
                file: path,
                note: subject,
                staleSince: { level: 'reviewed', at: '2026-01-01T00:00:00.000Z', hash: 'h', diff: `--- a\n+++ b\n-${subject}\n+${name}` },
              }),
            ],
          }),
        );
        expect(md.startsWith(`${CHECKLIST_MARKER}\n`)).toBe(true);
        expect(md.split('<!--').length).toBe(2);
        // Code is shown literally inside fences and spans; everything else must carry no raw HTML.
        expect(outsideCode(md)).not.toMatch(/<script|<img/i);
        // eslint-disable-next-line no-control-regex
        expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      }),
      { numRuns: 300 },
    );
  });

  it('fits one GitHub comment, truncating with a note', () => {
    const items = Array.from({ length: 3000 }, (_, i) => itemOf(i + 1, { symbol: `someRatherLongSymbolName${i}`, file: `src/deep/path/to/module${i}.ts` }));
    const md = formatChecklistMarkdown(emptyChecklist({ items, counts: { ...emptyChecklist().counts, items: 3000 } }));
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(md).toMatch(/more entries not shown \(GitHub comment size limit\)/);
    expect(md).toContain('<sub>Effort:');
    const small = formatChecklistMarkdown(emptyChecklist({ items: items.slice(0, 3) }));
    expect(small).not.toMatch(/not shown/);
    expect(small.match(/- \[ \] /g)).toHaveLength(3);
  });
});

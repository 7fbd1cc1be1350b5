/** The pure gate and policy: which items gate, which level they need, thresholds, ignores, defaults. */
import { describe, expect, it } from 'vitest';
import type { Checklist, ChecklistItem } from '../../src/checklist/types.ts';
import { evaluateGate, itemKey, type MarkStanding } from '../../src/ci/gate.ts';
import { DEFAULT_POLICY, parsePolicy } from '../../src/ci/policy.ts';

function item(over: Partial<ChecklistItem>): ChecklistItem {
  return {
    order: 1, symbol: 'f', kind: 'function', file: 'src/a.ts', line: 3, change: 'modified', oldFile: null, oldSymbol: null, group: 'implementation',
    agentLines: 0, humanLines: 0, changedLines: 4, complexity: 1, oldComplexity: 1, note: null, alreadyReviewed: false, staleSince: null, flags: [], hash: null, symbolId: null, understood: false, category: 'production', minutes: 1, ...over,
  };
}
function checklist(items: ChecklistItem[]): Checklist {
  return { base: 'a', head: 'b', as: null, effortMinutes: 7, effortFormula: '', agentSummary: null, reviewers: [], counts: { commits: 1, items: items.length, flags: 0, alreadyReviewed: 0, agentLines: 0, humanLines: 0 }, commits: [], items, callers: [], warnings: [] };
}
const heads = (items: ChecklistItem[]) => new Map(items.map((i, n) => [itemKey(i), { hash: `h${n}`, endLine: (i.line ?? 0) + 2 }]));
const standing = (entries: [string, MarkStanding[]][]) => new Map(entries);

describe('evaluateGate', () => {
  const agent = item({ order: 1, symbol: 'agentFn', agentLines: 8, complexity: 4 });
  const security = item({ order: 2, symbol: 'exec', humanLines: 3, flags: [{ code: 'security', message: 'child_process', line: 4 }] });
  const human = item({ order: 3, symbol: 'plain', humanLines: 5 });
  const items = [agent, security, human];

  it('default policy: agent-written and security-flagged items need a reviewed mark; debt is their weight', () => {
    const g = evaluateGate({ checklist: checklist(items), heads: heads(items), standing: new Map(), policy: DEFAULT_POLICY });
    expect(g.pass).toBe(false);
    expect(g.failing.map((f) => f.symbol)).toEqual(['agentFn', 'exec']);
    expect(g.debt).toBe(24); // 8 × (1 + log2 4)
    expect(g.coverage).toBe(0);
    expect(g.unreviewed).toBe(2);
    expect(g.failing[0]!.endLine).toBe(5);
  });

  it('viewed does not satisfy reviewed; reviewed and explained do', () => {
    const viewed = evaluateGate({ checklist: checklist(items), heads: heads(items), standing: standing([['h0', [{ engineer: 'ada', level: 'viewed' }]]]), policy: DEFAULT_POLICY });
    expect(viewed.failing.map((f) => f.symbol)).toContain('agentFn');
    const done = evaluateGate({
      checklist: checklist(items), heads: heads(items), policy: DEFAULT_POLICY,
      standing: standing([['h0', [{ engineer: 'ada', level: 'reviewed' }]], ['h1', [{ engineer: 'bob', level: 'explained' }]]]),
    });
    expect(done).toMatchObject({ pass: true, debt: 0, coverage: 1, unreviewed: 0 });
  });

  it('explained flags raise the level; ignore globs drop items; thresholds fail on their own', () => {
    const policy = parsePolicy('explained: [security]\nignore: ["src/a.ts"]\n', 'p.yml');
    const g = evaluateGate({ checklist: checklist(items), heads: heads(items), standing: new Map(), policy });
    expect(g).toMatchObject({ pass: true, ignored: 3 });
    const strict = parsePolicy('explained: [security]\nmax-debt: 10\nflags: []\n', 'p.yml');
    const s = evaluateGate({ checklist: checklist(items), heads: heads(items), standing: standing([['h1', [{ engineer: 'bob', level: 'reviewed' }]]]), policy: strict });
    expect(s.failing.map((f) => [f.symbol, f.required])).toEqual([['exec', 'explained']]);
    expect(s.maxDebt).toEqual({ limit: 10, pass: false });
  });

  it('a mark on another version does not count; deleted items never gate', () => {
    const g = evaluateGate({ checklist: checklist([agent, item({ order: 4, symbol: 'gone', change: 'deleted', agentLines: 3 })]), heads: heads([agent]), standing: standing([['old', [{ engineer: 'ada', level: 'explained' }]]]), policy: DEFAULT_POLICY });
    expect(g.gated.map((x) => x.symbol)).toEqual(['agentFn']);
    expect(g.pass).toBe(false);
  });
});

describe('parsePolicy', () => {
  it('empty text is the default policy', () => {
    expect(parsePolicy('', 'p.yml')).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toEqual({ require: 'reviewed', flags: ['unreviewed-agent-code', 'security'], explained: [], 'max-debt': null, 'min-coverage': null, ignore: [], enforce: false });
  });
  it('errors name the key and its line', () => {
    expect(() => parsePolicy('enforce: true\nmin-coverage: 80\n', 'p.yml')).toThrow(/^p\.yml line 2: min-coverage: /);
    expect(() => parsePolicy('ignore: "docs/**"\n', 'p.yml')).toThrow(/^p\.yml line 1: ignore: /);
    expect(() => parsePolicy('- a\n', 'p.yml')).toThrow(/^p\.yml: \(top level\)/);
  });
});

/** The pure credit rules and rubber-stamp detection (src/core/credit.ts) on hand-built facts. */
import { describe, expect, it } from 'vitest';
import {
  creditReview,
  detectRubberStamp,
  innermostSymbolsForLines,
  lastPushBefore,
  prSymbolsUpTo,
  type CommentFacts,
  type PrFacts,
  type ReviewCreditInput,
  type ReviewFacts,
} from '../../src/core/credit.ts';

const T0 = 1_800_000_000;
const approval = (o: Partial<ReviewFacts> = {}): ReviewFacts => ({
  id: '9001',
  state: 'APPROVED',
  authorLogin: 'bob-b',
  submittedAt: T0 + 3600,
  body: '',
  commentCount: 0,
  ...o,
});
const pr = (o: Partial<PrFacts> = {}): PrFacts => ({ number: 7, authorLogin: 'ada-h', additions: 100, deletions: 20, pushTimes: [T0], ...o });

describe('rubber stamps', () => {
  it('flags a silent approval of more than 300 changed lines', () => {
    expect(detectRubberStamp(approval(), pr({ additions: 280, deletions: 21 }))).toEqual({
      rubberStamp: true,
      reason: 'approved 301 changed lines without a single comment',
    });
    expect(detectRubberStamp(approval(), pr({ additions: 280, deletions: 20 })).rubberStamp).toBe(false);
  });

  it('flags a silent approval sooner than one minute per 100 changed lines after the last push', () => {
    // 250 lines need 150 s.
    const p = pr({ additions: 200, deletions: 50, pushTimes: [T0 - 500, T0] });
    expect(detectRubberStamp(approval({ submittedAt: T0 + 149 }), p)).toEqual({
      rubberStamp: true,
      reason: 'approved 149 s after the last push, without a comment; 250 changed lines call for at least 150 s',
    });
    expect(detectRubberStamp(approval({ submittedAt: T0 + 150 }), p).rubberStamp).toBe(false);
  });

  it('measures from the last push before the approval, not a later one', () => {
    const p = pr({ additions: 100, deletions: 0, pushTimes: [T0, T0 + 1000] });
    expect(lastPushBefore(p.pushTimes, T0 + 30)).toBe(T0);
    expect(detectRubberStamp(approval({ submittedAt: T0 + 30 }), p).rubberStamp).toBe(true);
    expect(detectRubberStamp(approval({ submittedAt: T0 + 1100 }), p).rubberStamp).toBe(false);
    expect(detectRubberStamp(approval({ submittedAt: T0 + 1030 }), p).rubberStamp).toBe(true);
  });

  it('never flags approvals with a word of comment, or other review states', () => {
    const big = pr({ additions: 5000 });
    expect(detectRubberStamp(approval({ body: 'Checked the migration by hand.' }), big).rubberStamp).toBe(false);
    expect(detectRubberStamp(approval({ commentCount: 1 }), big).rubberStamp).toBe(false);
    expect(detectRubberStamp(approval({ body: '   \n' }), big).rubberStamp).toBe(true);
    for (const state of ['COMMENTED', 'CHANGES_REQUESTED', 'DISMISSED', 'PENDING']) {
      expect(detectRubberStamp(approval({ state }), big).rubberStamp, state).toBe(false);
    }
  });

  it('without a known push, only size can make a rubber stamp', () => {
    expect(detectRubberStamp(approval({ submittedAt: T0 }), pr({ pushTimes: [] })).rubberStamp).toBe(false);
    expect(detectRubberStamp(approval({ submittedAt: null }), pr()).rubberStamp).toBe(false);
  });
});

describe('symbol matching', () => {
  const syms = [
    { name: 'rate', startLine: 32, endLine: 40, hash: 'r' },
    // Listed last by the analysis, spanning the file, owning only lines outside the others.
    { name: '(module)', kind: 'module', startLine: 1, endLine: 40, hash: 'm' },
    { name: 'Cart', startLine: 5, endLine: 30, hash: 'c' },
    { name: 'Cart.add', startLine: 8, endLine: 12, hash: 'a' },
    { name: 'Cart.total', startLine: 14, endLine: 20, hash: 't' },
  ];
  it('credits the innermost symbol around each commented line', () => {
    expect(innermostSymbolsForLines(syms, 10, 10).map((s) => s.name)).toEqual(['Cart.add']);
    expect(innermostSymbolsForLines(syms, 13, 13).map((s) => s.name)).toEqual(['Cart']);
    expect(innermostSymbolsForLines(syms, 2, 2).map((s) => s.name)).toEqual(['(module)']);
    expect(innermostSymbolsForLines(syms, 11, 15).map((s) => s.name)).toEqual(['Cart.add', 'Cart', 'Cart.total']);
    expect(innermostSymbolsForLines(syms, 35, 35).map((s) => s.name)).toEqual(['rate']);
    expect(innermostSymbolsForLines(syms, 31, 32).map((s) => s.name)).toEqual(['(module)', 'rate']);
    expect(innermostSymbolsForLines(syms, 41, 45)).toEqual([]);
  });

  it('takes each symbol at its latest version up to the approved commit', () => {
    const changes = [
      { file: 'a.ts', name: 'f', oldFile: null, oldName: null, hash: 'f1', change: 'added' as const, seq: 1 },
      { file: 'a.ts', name: 'g', oldFile: null, oldName: null, hash: 'g1', change: 'added' as const, seq: 1 },
      { file: 'a.ts', name: 'f', oldFile: null, oldName: null, hash: 'f2', change: 'modified' as const, seq: 2 },
      { file: 'b.ts', name: 'g', oldFile: 'a.ts', oldName: 'g', hash: 'g1', change: 'moved' as const, seq: 3 },
      { file: 'a.ts', name: 'f', oldFile: null, oldName: null, hash: null, change: 'deleted' as const, seq: 4 },
    ];
    expect(prSymbolsUpTo(changes, 1)).toEqual([
      { file: 'a.ts', name: 'f', hash: 'f1' },
      { file: 'a.ts', name: 'g', hash: 'g1' },
    ]);
    expect(prSymbolsUpTo(changes, 3)).toEqual([
      { file: 'a.ts', name: 'f', hash: 'f2' },
      { file: 'b.ts', name: 'g', hash: 'g1' },
    ]);
    expect(prSymbolsUpTo(changes, null)).toEqual([{ file: 'b.ts', name: 'g', hash: 'g1' }]);
  });
});

describe('credits', () => {
  const fileSyms = [
    { name: 'total', startLine: 1, endLine: 6, hash: 'h-total' },
    { name: 'rate', startLine: 8, endLine: 10, hash: 'h-rate' },
  ];
  const comment = (o: Partial<CommentFacts> = {}): CommentFacts => ({
    id: '501',
    authorLogin: 'bob-b',
    path: 'src/cart.ts',
    createdAt: T0 + 100,
    lines: { start: 3, end: 3 },
    version: { symbols: fileSyms, source: 'commit', sha: 'c1' },
    ...o,
  });
  const input = (o: Partial<ReviewCreditInput> = {}): ReviewCreditInput => ({
    review: approval({ state: 'COMMENTED', body: 'see inline' }),
    pr: pr(),
    comments: [comment()],
    prSymbols: [
      { file: 'src/cart.ts', name: 'total', hash: 'h-total' },
      { file: 'src/tax.ts', name: 'vat', hash: 'h-vat' },
    ],
    reviewerCommentedFiles: [],
    reviewerViewedFiles: null,
    now: T0 + 99_999,
    ...o,
  });

  it('a line comment credits its author `reviewed` on the symbol at that version', () => {
    const r = creditReview(input());
    expect(r.credits).toEqual([
      {
        login: 'bob-b',
        file: 'src/cart.ts',
        name: 'total',
        hash: 'h-total',
        level: 'reviewed',
        origin: 'review-comment:501',
        target: 'src/cart.ts#total',
        createdAt: T0 + 100,
        why: 'commented on src/cart.ts:3 in PR #7',
      },
    ]);
    expect(r.notes).toEqual([]);
  });

  it('says so when it had to fall back to the symbol at head', () => {
    const r = creditReview(input({ comments: [comment({ version: { symbols: fileSyms, source: 'current', sha: 'abc123' } })] }));
    expect(r.credits).toHaveLength(1);
    expect(r.notes[0]).toContain("abc123's version of the file is unknown; credited the symbol at that line at head");
  });

  it('credits nothing for file-level comments, comments outside symbols, by the PR author, or in pending reviews', () => {
    expect(creditReview(input({ comments: [comment({ lines: null })] })).credits).toEqual([]);
    expect(creditReview(input({ comments: [comment({ lines: { start: 7, end: 7 } })] })).credits).toEqual([]);
    expect(creditReview(input({ comments: [comment({ authorLogin: 'ADA-H' })] })).credits).toEqual([]);
    expect(creditReview(input({ review: approval({ state: 'PENDING' }) })).credits).toEqual([]);
    const unknown = creditReview(input({ comments: [comment({ version: null })] }));
    expect(unknown.credits).toEqual([]);
    expect(unknown.notes[0]).toContain('no analyzed version of the file');
  });

  it('an approval credits `viewed` on the PR symbols, `reviewed` where the reviewer commented or ticked Viewed', () => {
    const plain = creditReview(input({ review: approval(), comments: [] }));
    expect(plain.credits.map((c) => [c.name, c.level, c.origin, c.target])).toEqual([
      ['total', 'viewed', 'review:9001', 'pr:7'],
      ['vat', 'viewed', 'review:9001', 'pr:7'],
    ]);
    const commented = creditReview(input({ review: approval(), comments: [], reviewerCommentedFiles: ['src/cart.ts'] }));
    expect(commented.credits.map((c) => [c.name, c.level])).toEqual([
      ['total', 'reviewed'],
      ['vat', 'viewed'],
    ]);
    const viewed = creditReview(input({ review: approval(), comments: [], reviewerViewedFiles: ['src/tax.ts'] }));
    expect(viewed.credits.map((c) => [c.name, c.level])).toEqual([
      ['total', 'viewed'],
      ['vat', 'reviewed'],
    ]);
  });

  it('a rubber stamp credits nothing and a dismissed approval credits only its comments', () => {
    const stamp = creditReview(input({ review: approval(), comments: [], pr: pr({ additions: 900 }) }));
    expect(stamp.verdict.rubberStamp).toBe(true);
    expect(stamp.credits).toEqual([]);
    expect(stamp.notes[0]).toContain('rubber stamp');
    const dismissed = creditReview(input({ review: approval({ state: 'DISMISSED', commentCount: 1 }) }));
    expect(dismissed.credits.map((c) => c.origin)).toEqual(['review-comment:501']);
  });

  it('an approval of a PR whose commits are not analyzed waits instead of crediting', () => {
    const r = creditReview(input({ review: approval(), comments: [], prSymbols: null }));
    expect(r.credits).toEqual([]);
    expect(r.notes[0]).toContain('none of its commits are analyzed yet');
  });
});

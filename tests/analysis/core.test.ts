/** Pure parts of history analysis (forward blame, symbol diffs) and the long-lived cat-file reader. */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRuns, encodeRuns, forwardBlame, matchLinesByText, splitLines } from '../../src/analysis/blame.ts';
import { CatFileBatch } from '../../src/git/cat-file.ts';
import { diffCommitSymbols, innermostSymbolByLine, linesPerSymbol, symbolSourceText, type FileSymbols } from '../../src/analysis/diff.ts';
import { analyzeSource } from '../../src/analysis/extract.ts';
import type { BlobSymbol } from '../../src/analysis/types.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

const sym = (name: string, hash: string, startLine = 1, endLine = 1, kind: BlobSymbol['kind'] = 'function', parent = -1): BlobSymbol => ({
  name,
  kind,
  startLine,
  endLine,
  exported: false,
  complexity: 1,
  hash,
  parent,
});

describe('forward blame', () => {
  it('keeps the origin of unchanged lines and credits added lines to the commit', () => {
    const old = { shas: ['a', 'a', 'b', 'b', 'c'], agent: [false, false, true, true, false] };
    // Old lines 2-3 replaced by three new lines 2-4; old line 5 deleted.
    const out = forwardBlame({
      newLineCount: 5,
      newRanges: [[2, 4]],
      oldRanges: [
        [2, 3],
        [5, 5],
      ],
      old,
      introduced: () => ({ sha: 'n', agent: true }),
    });
    expect(out.shas).toEqual(['a', 'n', 'n', 'n', 'b']);
    expect(out.agent).toEqual([false, true, true, true, true]);
  });

  it('marks unchanged lines of an unknown old version as unknown', () => {
    const out = forwardBlame({ newLineCount: 3, newRanges: [[2, 2]], oldRanges: [], old: null, introduced: () => ({ sha: 'n', agent: false }) });
    expect(out.shas).toEqual(['', 'n', '']);
  });

  it('round-trips through compact runs and tolerates the plain run list', () => {
    const origins = { shas: ['a', 'a', 'b', 'a'], agent: [false, false, true, false] };
    const stored = encodeRuns(origins);
    expect(stored).toEqual({
      shas: ['a', 'b'],
      runs: [
        [2, 0, 0],
        [1, 1, 1],
        [1, 0, 0],
      ],
    });
    expect(decodeRuns(JSON.parse(JSON.stringify(stored)))).toEqual(origins);
    expect(decodeRuns([[2, 'x'], 'junk', [1, 'y', 1]])).toEqual({ shas: ['x', 'x', 'y'], agent: [false, false, true] });
    expect(decodeRuns(null)).toEqual({ shas: [], agent: [] });
  });

  it('matches added lines to identical lines of another version, each used once', () => {
    const found = matchLinesByText([1, 2, 3], ['x', 'y', 'x'], ['x', 'z'], { shas: ['p1', 'p2'], agent: [true, false] }, { sha: 'fallback', agent: false });
    expect([...found]).toEqual([[1, { sha: 'p1', agent: true }]]);
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
  });
});

describe('symbol diff of a commit', () => {
  const file = (f: Partial<FileSymbols> & { path: string }): FileSymbols => ({ oldPath: null, oldSymbols: null, newSymbols: null, deleted: false, ...f });

  it('reports added, modified and deleted symbols by name and ignores unchanged ones', () => {
    const events = diffCommitSymbols([
      file({ path: 'a.ts', oldSymbols: [sym('keep', 'h1'), sym('edit', 'h2'), sym('gone', 'h3')], newSymbols: [sym('keep', 'h1'), sym('edit', 'h2b'), sym('fresh', 'h4')] }),
    ]);
    expect(events.map((e) => [e.change, e.name])).toEqual([
      ['modified', 'edit'],
      ['added', 'fresh'],
      ['deleted', 'gone'],
    ]);
  });

  it('pairs a deletion and an addition with the same hash as a move, preferring the same file', () => {
    const events = diffCommitSymbols([
      file({ path: 'a.ts', oldSymbols: [sym('parse', 'H'), sym('other', 'H')], newSymbols: [sym('readIt', 'H')] }),
      file({ path: 'b.ts', oldSymbols: [], newSymbols: [sym('parse', 'H')] }),
    ]);
    const moves = events.filter((e) => e.change === 'moved').map((e) => [e.file, e.name, e.oldFile, e.oldName]);
    expect(moves).toEqual([
      ['a.ts', 'readIt', null, 'parse'],
      ['b.ts', 'parse', 'a.ts', 'other'],
    ]);
    expect(events.filter((e) => e.change !== 'moved')).toEqual([]);
  });

  it('moves every symbol of a renamed file and never moves (module)', () => {
    const events = diffCommitSymbols([
      file({ path: 'new.ts', oldPath: 'old.ts', oldSymbols: [sym('f', 'F'), sym('(module)', 'M', 1, 3, 'module')], newSymbols: [sym('f', 'F2'), sym('(module)', 'M', 1, 3, 'module')] }),
      file({ path: 'x.ts', oldSymbols: [sym('(module)', 'Q', 1, 1, 'module')], newSymbols: null, deleted: true }),
      file({ path: 'y.ts', oldSymbols: null, newSymbols: [sym('(module)', 'Q', 1, 1, 'module')] }),
    ]);
    expect(events.map((e) => [e.change, e.file, e.name, e.oldFile])).toEqual([
      ['modified', 'new.ts', 'f', 'old.ts'],
      ['moved', 'new.ts', '(module)', 'old.ts'],
      ['added', 'y.ts', '(module)', null],
      ['deleted', 'x.ts', '(module)', null],
    ]);
  });

  it('says nothing per symbol for a file that is now at file granularity', () => {
    expect(diffCommitSymbols([file({ path: 'a.ts', oldSymbols: [sym('f', 'F')], newSymbols: null })])).toEqual([]);
  });
});

describe('lines per symbol', () => {
  it('counts each line once, for its innermost symbol, and the rest for (module)', () => {
    const { symbols } = analyzeSource('a.ts', ['import x from "x";', 'class A {', '  m() {', '    return 1;', '  }', '}', 'x();'].join('\n'));
    const owner = innermostSymbolByLine(symbols, 7);
    const names = [...owner].map((i) => symbols[i]!.name);
    expect(names).toEqual(['(module)', 'A', 'A.m', 'A.m', 'A.m', 'A', '(module)']);
    const counts = linesPerSymbol(owner, [1, 2, 3, 4, 7].map((line) => ({ line, agent: line > 2 })));
    const byName = Object.fromEntries([...counts].map(([i, c]) => [symbols[i]!.name, c]));
    expect(byName).toEqual({ '(module)': { agent: 1, human: 1 }, A: { agent: 0, human: 1 }, 'A.m': { agent: 2, human: 0 } });
  });

  it('cuts nested symbols out of a symbol version text', () => {
    const lines = ['class A {', '  x = 1;', '  m() {', '    return 1;', '  }', '}', 'run();'];
    const { symbols } = analyzeSource('a.ts', lines.join('\n'));
    const text = (name: string) => symbolSourceText(lines, symbols, symbols.findIndex((s) => s.name === name));
    expect(text('A')).toBe('class A {\n  x = 1;\n  m() { …\n}');
    expect(text('A.m')).toBe('  m() {\n    return 1;\n  }');
    expect(text('(module)')).toBe('run();');
  });
});

describe('git cat-file --batch', () => {
  let repo: GitFixture | undefined;
  afterEach(() => repo?.cleanup());

  it('reads many objects through one process, in order, and reports missing ones as null', async () => {
    repo = new GitFixture();
    const sha = repo.write('a.ts', 'one\n').write('dir/with space.ts', 'two\n').commit();
    const cat = new CatFileBatch(repo.dir);
    const [a, b, missing, tree, weird] = await Promise.all([
      cat.readBlob(`${sha}:a.ts`),
      cat.readBlob(`${sha}:dir/with space.ts`),
      cat.readBlob('0123456789012345678901234567890123456789'),
      cat.readBlob(`${sha}:dir`),
      cat.readBlob('bad\nname'),
    ]);
    expect(a?.toString()).toBe('one\n');
    expect(b?.toString()).toBe('two\n');
    expect(missing).toBeNull();
    expect(tree).toBeNull();
    expect(weird).toBeNull();
    const big = 'x'.repeat(300_000);
    const sha2 = repo.write('big.ts', big).commit();
    const reads = await Promise.all(Array.from({ length: 20 }, (_, i) => cat.readBlob(i % 2 ? `${sha2}:big.ts` : `${sha2}:a.ts`)));
    expect(reads.map((r) => r?.length)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 300_000 : 4)));
    await cat.close();
    await expect(cat.read(`${sha}:a.ts`)).rejects.toThrow();
  });
});

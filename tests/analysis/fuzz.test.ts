/**
 * Hostile input for the TS/JS symbol analysis: this repository's own src/ files cut at random
 * offsets, random token soup, random text and bytes. `analyzeSource` / `analyzeBlobText` never
 * throw, every result is well formed, and a parse-error verdict is cross-checked with an
 * independent parser (esbuild): whatever the analysis calls a parse error, esbuild rejects too.
 */
import { transformSync } from 'esbuild';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBlobText, MAX_ANALYZED_BYTES } from '../../src/analysis/classify.ts';
import { analyzeSource } from '../../src/analysis/extract.ts';
import { BLOB_STATUSES, SYMBOL_KINDS, countLines, type BlobSymbol } from '../../src/analysis/types.ts';
import { FuzzCounter } from '../helpers/fuzz-count.ts';

const counter = new FuzzCounter('fuzz-analysis');
afterAll(() => counter.save());

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(tsx?|mjs|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}
const SOURCES = sourceFiles(join(import.meta.dirname, '..', '..', 'src')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts'];

/** A result is well formed: known status, lines counted like git, symbols inside the file and tree-shaped. */
function expectWellFormed(result: { status: string; reason: string | null; lineCount: number; symbols: BlobSymbol[] }, text: string) {
  expect(BLOB_STATUSES).toContain(result.status);
  expect(result.lineCount).toBe(countLines(text));
  if (result.status !== 'ok') {
    expect(result.symbols).toEqual([]);
    expect(result.reason).toEqual(expect.any(String));
    return;
  }
  expect(result.reason).toBeNull();
  const names = new Set<string>();
  result.symbols.forEach((s, i) => {
    expect(SYMBOL_KINDS).toContain(s.kind);
    expect(s.startLine).toBeGreaterThanOrEqual(1);
    expect(s.endLine).toBeGreaterThanOrEqual(s.startLine);
    expect(s.endLine).toBeLessThanOrEqual(Math.max(1, result.lineCount));
    expect(s.hash).toMatch(/^\S+$/);
    expect(s.parent).toBeLessThan(i);
    expect(s.parent).toBeGreaterThanOrEqual(-1);
    expect(names.has(s.name)).toBe(false);
    names.add(s.name);
  });
}

function esbuildAccepts(path: string, text: string): { ok: true } | { ok: false; message: string } {
  const loader = path.endsWith('x') ? (path.endsWith('.tsx') ? 'tsx' : 'jsx') : /\.[cm]?ts$/.test(path) ? 'ts' : 'js';
  try {
    transformSync(text, { loader, logLevel: 'silent' });
    return { ok: true };
  } catch (err) {
    return { ok: false, message: (err as { errors?: { text: string }[] }).errors?.[0]?.text ?? String(err) };
  }
}

// The other direction is not asserted: TypeScript's parser (which the analysis uses) leaves some
// checks to its grammar checker, so a cut ending in `export const `, `new Map<K, ` or a bare `let`
// parses without a diagnostic while esbuild refuses it. Those cases are counted, not failed.

describe('symbol analysis under hostile input', () => {
  it('reads its own sources cut at random offsets: never throws; parse errors agree with esbuild', () => {
    expect(SOURCES.length).toBeGreaterThan(50);
    const tally = { ok: 0, parseError: 0, tolerated: 0 };
    fc.assert(
      // noBias: cut anywhere, not mostly near the start of the list and of the file.
      // A cut at any character (mostly parse errors) or after any whole line (often still valid).
      fc.property(
        fc.noBias(fc.nat(SOURCES.length - 1)).chain((i) =>
          fc.tuple(fc.constant(i), fc.noBias(fc.nat(SOURCES[i]!.text.length)), fc.boolean()),
        ),
        ([i, at, wholeLines]) => {
        const { path, text } = SOURCES[i]!;
        const cut = wholeLines ? text.slice(0, text.indexOf('\n', at) + 1 || text.length) : text.slice(0, at);
        counter.tried('analyzeSource on truncated src/ files');
        const result = analyzeSource(path, cut);
        expectWellFormed(result, cut);
        const other = esbuildAccepts(path, cut);
        if (result.status === 'parse-error') {
          tally.parseError++;
          expect(result.reason).toMatch(/^line \d+: /);
          expect(other.ok, `esbuild accepts what the analysis called a parse error:\n${cut.slice(-200)}`).toBe(false);
        } else {
          tally.ok++;
          if (!other.ok) tally.tolerated++;
        }
        },
      ),
      { numRuns: 1500 },
    );
    // Both verdicts must have been exercised, or the cross-check proves nothing.
    expect(tally.ok).toBeGreaterThan(60);
    expect(tally.parseError).toBeGreaterThan(300);
    counter.tried('truncations the TS parser tolerates but esbuild refuses', tally.tolerated);
  });

  it('analyzes its whole source files as ok, the same way every time', () => {
    for (const { path, text } of SOURCES) {
      counter.tried('analyzeSource on whole src/ files');
      const result = analyzeSource(path, text);
      expect(result.status, path).toBe('ok');
      expectWellFormed(result, text);
      expect(analyzeSource(path, text)).toEqual(result);
    }
  });

  it('survives token soup in every script dialect', () => {
    const token = fc.constantFrom(
      ...['{', '}', '(', ')', '[', ']', '<', '>', '</', '/>', '=>', '=', ';', ',', '.', '...', '?', '?.', ':', '`', '${', '/*', '*/', '//', '"', "'", '\n', ' ', '\\'],
      ...['function', 'class', 'interface', 'type', 'enum', 'namespace', 'declare', 'module', 'export', 'default', 'import', 'from', 'async', 'await', 'yield', '*'],
      ...['get', 'set', 'static', 'constructor', 'new', 'return', 'if', 'else', 'switch', 'case', 'const', 'let', 'var', 'x', 'y', 'Foo', '0', '1n', '/re/g', '@dec', '#priv', 'this'],
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 120 }).map((t) => t.join(' ')), fc.constantFrom(...EXTENSIONS), (text, ext) => {
        counter.tried('analyzeBlobText on token soup');
        expectWellFormed(analyzeBlobText(`src/soup${ext}`, text), text);
      }),
      { numRuns: 1500 },
    );
  });

  it('survives random text, random bytes, huge and deeply nested input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 })), fc.constantFrom(...EXTENSIONS), (text, ext) => {
        counter.tried('analyzeBlobText on random strings');
        expectWellFormed(analyzeBlobText(`a${ext}`, text), text);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        counter.tried('analyzeBlobText on random bytes');
        const result = analyzeBlobText('a.ts', bytes);
        expect(BLOB_STATUSES).toContain(result.status);
        if (bytes.includes(0)) expect(result.status).toBe('binary');
      }),
      { numRuns: 500 },
    );
    const extremes: [string, string | RegExp][] = [
      // Line breaks keep these clear of the minified-code heuristic, so the parser really runs.
      ['let y = ' + '(\n'.repeat(20_000) + 'x' + ')\n'.repeat(20_000), /too-large|parse-error/],
      ['let x = ' + '[\n'.repeat(30_000), /too-large|parse-error/],
      ['if (a) {\n'.repeat(5_000), /too-large|parse-error/],
      ['/*'.padEnd(MAX_ANALYZED_BYTES + 10, 'a'), 'too-large'],
      ['\uFEFF// \u202E reversed \u2066\r\nexport function evil() {}\r\n', 'ok'],
      ['export const a = 1;\0', /binary|ok|parse-error/],
    ];
    for (const [text, status] of extremes) {
      counter.tried('analyzeBlobText on extreme inputs');
      const result = analyzeBlobText('deep.ts', text);
      expect(result.status).toMatch(status);
      if (result.status !== 'ok') expect(result.symbols).toEqual([]);
    }
  });
});

/**
 * fast-scan.ts is a hand-written quick path in front of the TypeScript scanner; every token it
 * takes must be exactly the token the compiler's scanner finds at the same place (else hashes would
 * silently change). Differential tests: on texts built from tricky fragments, each fast token
 * (start, end, and kind for the punctuation tokens.ts distinguishes) equals the compiler's.
 */
import fc from 'fast-check';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { FAST_DELEGATE, FAST_EOF, FAST_PUNCTUATION, FAST_STRING, FAST_WORD, fastScan, fastToken } from '../../src/analysis/fast-scan.ts';

const FRAGMENTS = [
  'a', 'Foo', '$x', '_y', 'if', 'await', 'é', 'x\\u0041', '0', '12', '1.5', '1e3', '0x1f', '1n', '1_000', '.5',
  '"s"', "'t'", '"a\\"b"', "'\\n'", '`t${x}`', '"\n"', '\u2028',
  ' ', '\t', '\n', '\r\n', '// c\n', '/* c */', '/* open', '/** doc */',
  ';', ',', '(', ')', '[', ']', '{', '}', ':', '~', '.', '...', '?.', '?.5', '??', '??=', '?',
  '=', '==', '===', '=>', '>', '>=', '>>', '<', '<=', '|', '||', '||=', '|=', '&', '&&', '&&=', '&=',
  '!', '!=', '!==', '*', '*=', '**', '**=', '+', '++', '+=', '-', '--', '-=', '/', '/=', '%', '%=', '^', '^=',
  '#p', '@d', '<<<<<<< HEAD\n', '=======\n', '>>>>>>> b\n', '||||||| base\n',
];

/** Kinds fastScan reports by number; others are FAST_PUNCTUATION / FAST_WORD / FAST_STRING. */
const NUMBERED = new Set([
  ts.SyntaxKind.SemicolonToken, ts.SyntaxKind.CommaToken, ts.SyntaxKind.OpenBracketToken, ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBraceToken, ts.SyntaxKind.GreaterThanToken,
]);

function compilerToken(scanner: ts.Scanner, text: string, pos: number): { start: number; end: number; kind: ts.SyntaxKind } {
  scanner.setText(text);
  scanner.resetTokenState(pos);
  const kind = scanner.scan();
  return { start: scanner.getTokenStart(), end: scanner.getTokenEnd(), kind };
}

/** Walks `text` token by token with fastScan, checking each fast token against the compiler's. */
function checkAgainstCompiler(text: string, variant: ts.LanguageVariant): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant);
  let pos = 0;
  let checked = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const fast = fastScan(text, pos);
    const expected = compilerToken(scanner, text, pos);
    if (fast === FAST_EOF) {
      expect(expected.kind).toBe(ts.SyntaxKind.EndOfFileToken);
      return checked;
    }
    if (fast === FAST_DELEGATE) {
      // Only trivia was skipped: the compiler finds the same token from the hand-over point.
      expect(compilerToken(scanner, text, fastToken.start)).toEqual(expected);
      pos = Math.max(expected.end, pos + 1);
      continue;
    }
    expect({ start: fastToken.start, end: fastToken.end }).toEqual({ start: expected.start, end: expected.end });
    if (fast === FAST_STRING) expect(expected.kind).toBe(ts.SyntaxKind.StringLiteral);
    else if (fast === FAST_WORD) expect(expected.kind === ts.SyntaxKind.Identifier || (expected.kind >= ts.SyntaxKind.FirstKeyword && expected.kind <= ts.SyntaxKind.LastKeyword) || expected.kind === ts.SyntaxKind.NumericLiteral).toBe(true);
    else if (fast === FAST_PUNCTUATION) expect(NUMBERED.has(expected.kind)).toBe(false);
    else expect(fast).toBe(expected.kind);
    checked++;
    pos = fastToken.end;
  }
  throw new Error('no end of text');
}

describe('fast-scan against the TypeScript scanner', () => {
  it('takes exactly the compiler token at every place it does not delegate (TS and JSX variants)', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), fc.boolean(), (parts, jsx) => {
        checked += checkAgainstCompiler(parts.join(''), jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard);
      }),
      { numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(10_000); // the fast path really ran
  });

  it('agrees on real code', () => {
    const source = [
      'export async function load(path: string, opts?: { retries?: number }): Promise<Item[]> {',
      "  const raw = await read(path, 'utf8'); // comment",
      '  if (!raw || raw.length === 0) return [];',
      '  /* block */ for (let i = 0; i < opts?.retries ?? 3; i++) total += i ** 2;',
      '  return JSON.parse(raw).map((x: Item) => ({ ...x, ok: x.n >= 10 && x.m !== null }));',
      '}',
    ].join('\n');
    expect(checkAgainstCompiler(source, ts.LanguageVariant.Standard)).toBeGreaterThan(80);
  });
});

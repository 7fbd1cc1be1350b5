/**
 * Normalized token stream of a source file, for content hashes that ignore formatting.
 *
 * One scan of the whole file with the TypeScript scanner (trivia and comments skipped). The scanner
 * alone cannot tell a regex from a division, a template continuation from a `}`, or JSX text from
 * code, so the AST walk hands over "spans" for those and the scan jumps over them.
 * Normalizations, each chosen so that semantically different code still hashes differently:
 * - string literals are emitted by their cooked value (quote style and escapes don't matter);
 * - a comma directly before `)` `}` `>` (and `]`, unless it is an array hole) is dropped;
 * - statement terminators: an explicit `;` (or a type member's `,`) ending a statement and an
 *   automatically inserted one produce the same virtual `;`; empty statements vanish;
 * - JSX text is reduced to what JSX renders (lines trimmed, blank lines dropped).
 */
import { createHash } from 'node:crypto';
import { ts } from 'ts-morph';

export interface TokenSpan {
  start: number;
  end: number;
  /** Normalized text to emit for the whole span ('' emits nothing). */
  text: string;
}

export interface TokenHints {
  /** Sorted by start, non-overlapping. */
  spans: TokenSpan[];
  /** Ends of statements whose terminator is normalized (unsorted, duplicates allowed). */
  virtualEnds: number[];
  /** Ends of `;`/`,` tokens to drop (statement terminators and empty statements). */
  dropEnds: Set<number>;
}

export interface TokenStream {
  texts: string[];
  /** Start offset of each token, nondecreasing. */
  positions: number[];
}

const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true);
const SK = ts.SyntaxKind;
const EOF = SK.EndOfFileToken;
const SEMICOLON = SK.SemicolonToken;
const COMMA = SK.CommaToken;
const STRING = SK.StringLiteral;
const CLOSE_PAREN = SK.CloseParenToken;
const CLOSE_BRACE = SK.CloseBraceToken;
const CLOSE_BRACKET = SK.CloseBracketToken;
const GREATER_THAN = SK.GreaterThanToken;
/** Fixed text of punctuation and keywords, so most tokens need no substring. */
const FIXED_TEXT: (string | undefined)[] = [];
for (let k = SK.FirstPunctuation; k <= SK.LastPunctuation; k++) FIXED_TEXT[k] = ts.tokenToString(k);
for (let k = SK.FirstKeyword; k <= SK.LastKeyword; k++) FIXED_TEXT[k] = ts.tokenToString(k);

export function tokenize(text: string, variant: ts.LanguageVariant, hints: TokenHints): TokenStream {
  const texts: string[] = [];
  const positions: number[] = [];
  const ends = hints.virtualEnds.slice().sort((a, b) => a - b);
  const { spans, dropEnds } = hints;
  let nextEnd = 0;
  let nextSpan = 0;
  const flushVirtual = (upTo: number) => {
    while (nextEnd < ends.length && ends[nextEnd]! <= upTo) {
      const end = ends[nextEnd++]!;
      if (nextEnd > 1 && ends[nextEnd - 2] === end) continue;
      texts.push(';');
      positions.push(end - 1);
    }
  };
  const emitSpan = (span: TokenSpan) => {
    flushVirtual(span.start);
    if (span.text !== '') {
      texts.push(span.text);
      positions.push(span.start);
    }
    scanner.resetTokenState(span.end);
  };

  scanner.setText(text);
  scanner.setLanguageVariant(variant);
  scanner.resetTokenState(0);
  for (;;) {
    // JSX text starts right where the previous token ended; scanning it as code could misread it.
    const resumeAt = scanner.getTokenEnd();
    if (nextSpan < spans.length && spans[nextSpan]!.start <= resumeAt) {
      emitSpan(spans[nextSpan++]!);
      continue;
    }
    const kind = scanner.scan();
    if (kind === EOF) break;
    const start = scanner.getTokenStart();
    if (nextSpan < spans.length && spans[nextSpan]!.start <= start) {
      emitSpan(spans[nextSpan++]!);
      continue;
    }
    if (nextEnd < ends.length && ends[nextEnd]! <= start) flushVirtual(start);
    if ((kind === SEMICOLON || kind === COMMA) && dropEnds.size > 0 && dropEnds.has(scanner.getTokenEnd())) {
      continue;
    }
    if ((kind === CLOSE_PAREN || kind === CLOSE_BRACE || kind === CLOSE_BRACKET || kind === GREATER_THAN) && texts[texts.length - 1] === ',') {
      const beforeComma = texts[texts.length - 2];
      const isHole = kind === CLOSE_BRACKET && (beforeComma === '[' || beforeComma === ',');
      if (!isHole) {
        texts.pop();
        positions.pop();
      }
    }
    texts.push(FIXED_TEXT[kind] ?? (kind === STRING ? JSON.stringify(scanner.getTokenValue()) : scanner.getTokenText()));
    positions.push(start);
  }
  flushVirtual(Number.MAX_SAFE_INTEGER);
  return { texts, positions };
}

/** First index whose position is >= pos. */
function lowerBound(positions: readonly number[], pos: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A token stream ready for hashing many ranges: all tokens joined once, each followed by \u0001, so a
 * run of tokens is one substring and hashing a symbol costs its own bytes only.
 */
export class HashableStream {
  private readonly joined: string;
  private readonly offsets: Int32Array;

  constructor(private readonly stream: TokenStream) {
    const { texts } = stream;
    this.offsets = new Int32Array(texts.length + 1);
    for (let i = 0; i < texts.length; i++) this.offsets[i + 1] = this.offsets[i]! + texts[i]!.length + 1;
    this.joined = texts.length === 0 ? '' : `${texts.join('\u0001')}\u0001`;
  }

  /**
   * Index runs [from, to) of the tokens in [start, end) that a symbol owns: without the token starting at
   * `skip` (its own name, so a rename keeps the hash) and without `holes` (nested symbols, sorted).
   */
  ownRuns(start: number, end: number, skip: number, holes: readonly (readonly [number, number])[] = []): [number, number][] {
    const { positions } = this.stream;
    const to = lowerBound(positions, end);
    const runs: [number, number][] = [];
    const skipAt = skip >= 0 ? lowerBound(positions, skip) : -1;
    const emit = (a: number, b: number) => {
      if (skipAt >= a && skipAt < b && positions[skipAt] === skip) {
        if (skipAt > a) runs.push([a, skipAt]);
        if (b > skipAt + 1) runs.push([skipAt + 1, b]);
      } else if (b > a) {
        runs.push([a, b]);
      }
    };
    let i = lowerBound(positions, start);
    for (const [hs, he] of holes) {
      const holeStart = lowerBound(positions, hs);
      emit(i, Math.min(holeStart, to));
      i = Math.max(i, lowerBound(positions, he));
    }
    emit(i, to);
    return runs;
  }

  hashRuns(runs: readonly [number, number][]): string {
    const hash = createHash('sha256');
    for (const [a, b] of runs) hash.update(this.joined.slice(this.offsets[a], this.offsets[b]));
    return hash.digest('hex').slice(0, 32);
  }
}

/** What JSX renders of a text child: lines trimmed at inner edges, blank lines dropped, joined by spaces. */
export function normalizeJsxText(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/);
  if (lines.length === 1) return raw;
  const kept: string[] = [];
  lines.forEach((line, i) => {
    let l = line;
    if (i > 0) l = l.replace(/^[ \t]+/, '');
    if (i < lines.length - 1) l = l.replace(/[ \t]+$/, '');
    if (l !== '') kept.push(l);
  });
  return kept.join(' ');
}

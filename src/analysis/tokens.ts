/**
 * Normalized token stream of a source file, for content hashes that ignore formatting.
 *
 * One scan of the whole file with the TypeScript scanner (trivia and comments skipped), most tokens
 * taken by fast-scan.ts's quicker path in front of it. The scanner alone cannot tell a regex from a
 * division, a template continuation from a `}`, or JSX text from code, so the AST walk hands over
 * "spans" for those and the scan jumps over them.
 * Normalizations, each chosen so that semantically different code still hashes differently:
 * - string literals are emitted by their cooked value (quote style and escapes don't matter);
 * - a comma directly before `)` `}` `>` (and `]`, unless it is an array hole) is dropped;
 * - statement terminators: an explicit `;` (or a type member's `,`) ending a statement and an
 *   automatically inserted one produce the same virtual `;`; empty statements vanish;
 * - JSX text is reduced to what JSX renders (lines trimmed, blank lines dropped).
 */
import * as crypto from 'node:crypto';
import { ts } from 'ts-morph';
import {
  CLOSE_BRACE, CLOSE_BRACKET, CLOSE_PAREN, COMMA, FAST_DELEGATE, FAST_EOF, FAST_STRING, GREATER_THAN, OPEN_BRACKET, SEMICOLON, fastScan, fastToken,
} from './fast-scan.ts';

export interface TokenSpan {
  start: number;
  end: number;
  /** Normalized text to emit for the whole span ('' emits nothing). */
  text: string;
}

/** A copy of `values` in a new array of `size` elements (the buffers here only ever grow). */
function grownTo<T extends Int32Array | Uint8Array>(values: T, size: number): T {
  const grown = new (values.constructor as new (n: number) => T)(size);
  grown.set(values);
  return grown;
}

/** A growable list of source offsets, unboxed (the walk adds one or two per statement). */
export class OffsetList {
  private values = new Int32Array(256);
  length = 0;

  push(offset: number): void {
    if (this.length === this.values.length) this.values = grownTo(this.values, this.values.length * 2);
    this.values[this.length++] = offset;
  }

  cleared(): this {
    this.length = 0;
    return this;
  }

  /** The offsets in ascending order (sorts in place). */
  sorted(): Int32Array {
    return this.values.subarray(0, this.length).sort();
  }
}

export interface TokenHints {
  /** Sorted by start, non-overlapping. */
  spans: TokenSpan[];
  /** Ends of statements whose terminator is normalized (unsorted, duplicates allowed). */
  virtualEnds: OffsetList;
  /** Ends of `;`/`,` tokens to drop (statement terminators and empty statements; unsorted). */
  dropEnds: OffsetList;
}

const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true);
const SK = ts.SyntaxKind;
const EOF = SK.EndOfFileToken;
const STRING = SK.StringLiteral;
/** Separator after every token, so that a run of tokens is one byte range. */
const SEPARATOR = 1;
const utf8 = new TextEncoder();
/** UTF-8 of the fixed text of punctuation and keywords, so most tokens need no string at all. */
const FIXED_BYTES: (Uint8Array | undefined)[] = [];
for (let k = SK.FirstPunctuation; k <= SK.LastPunctuation; k++) FIXED_BYTES[k] = utf8.encode(ts.tokenToString(k));
for (let k = SK.FirstKeyword; k <= SK.LastKeyword; k++) FIXED_BYTES[k] = utf8.encode(ts.tokenToString(k));

/** What the last two emitted tokens were, for the dropped-trailing-comma rule. */
const M_OTHER = 0;
const M_COMMA = 1;
const M_OPEN_BRACKET = 2;

/**
 * The normalized tokens of one text, UTF-8 encoded, each followed by \u0001, in one byte buffer
 * (the bytes `Buffer.from(texts.join('\u0001') + '\u0001')` would give), with each token's source
 * position and byte offset. The buffers are shared and reused: a stream is valid until the next
 * `tokenize` call.
 */
export class TokenStream {
  bytes = new Uint8Array(1 << 16);
  length = 0;
  count = 0;
  /** Source offset of each token, nondecreasing. */
  positions = new Int32Array(1 << 12);
  /** Byte offset of each token in `bytes`; `offsets[count]` is `length`. */
  offsets = new Int32Array(1 << 12);
  /** Flat [from, to) token index pairs collected by `collectRuns`. */
  runs = new Int32Array(64);
  runCount = 0;
  private scratch = new Uint8Array(1 << 12);

  reserveBytes(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    this.bytes = grownTo(this.bytes, Math.max(this.bytes.length * 2, this.length + extra));
  }

  /** Starts token `count` at source offset `position`; the caller then writes its bytes. */
  open(position: number): void {
    if (this.count + 1 >= this.positions.length) {
      this.positions = grownTo(this.positions, this.positions.length * 2);
      this.offsets = grownTo(this.offsets, this.positions.length);
    }
    this.positions[this.count] = position;
    this.offsets[this.count] = this.length;
  }

  /** Ends the open token with the separator. */
  close(): void {
    this.bytes[this.length++] = SEPARATOR;
    this.count++;
    this.offsets[this.count] = this.length;
  }

  pop(): void {
    this.count--;
    this.length = this.offsets[this.count]!;
  }

  writeFixed(fixed: Uint8Array): void {
    this.reserveBytes(fixed.length + 1);
    const bytes = this.bytes;
    let n = this.length;
    for (let i = 0; i < fixed.length; i++) bytes[n++] = fixed[i]!;
    this.length = n;
  }

  /** UTF-8 of `source.slice(from, to)` (lone surrogates as U+FFFD, as string hashing does). */
  writeText(source: string, from: number, to: number): void {
    this.reserveBytes((to - from) * 3 + 1);
    const bytes = this.bytes;
    let n = this.length;
    for (let i = from; i < to; i++) {
      const c = source.charCodeAt(i);
      if (c >= 0x80) {
        n += utf8.encodeInto(source.slice(i, to), bytes.subarray(n)).written;
        break;
      }
      bytes[n++] = c;
    }
    this.length = n;
  }

  /** `JSON.stringify(source.slice(from, to))`, written directly when that is a plain copy plus `\"`. */
  writeQuoted(source: string, from: number, to: number): void {
    this.reserveBytes((to - from) * 2 + 3);
    const bytes = this.bytes;
    let n = this.length;
    bytes[n++] = 34;
    for (let i = from; i < to; i++) {
      const c = source.charCodeAt(i);
      if (c < 0x20 || c >= 0x80 || c === 92) {
        // Escapes and non-ASCII: let JSON.stringify decide.
        const quoted = JSON.stringify(source.slice(from, to));
        this.writeText(quoted, 0, quoted.length);
        return;
      }
      if (c === 34) bytes[n++] = 92;
      bytes[n++] = c;
    }
    bytes[n++] = 34;
    this.length = n;
  }

  /**
   * Index runs [from, to) of the tokens in [start, end) that a symbol owns, into `runs`: without the
   * token starting at `skip` (its own name, so a rename keeps the hash) and without `holes` (nested
   * symbols as flat sorted [start, end] pairs). Returns the number of runs.
   */
  collectRuns(start: number, end: number, skip: number, holes: readonly number[]): number {
    this.runCount = 0;
    const to = this.lowerBound(end);
    const skipAt = skip >= 0 ? this.lowerBound(skip) : -1;
    const skipped = skipAt >= 0 && skipAt < this.count && this.positions[skipAt] === skip ? skipAt : -1;
    let i = this.lowerBound(start);
    for (let h = 0; h < holes.length; h += 2) {
      this.addRun(i, Math.min(this.lowerBound(holes[h]!), to), skipped);
      i = Math.max(i, this.lowerBound(holes[h + 1]!));
    }
    this.addRun(i, to, skipped);
    return this.runCount;
  }

  /** First 32 hex digits of the SHA-256 of the bytes of the runs `collectRuns` found. */
  hashRuns(): string {
    const { runs, offsets, bytes } = this;
    if (this.runCount === 1) return sha256Hex(bytes.subarray(offsets[runs[0]!]!, offsets[runs[1]!]!));
    let size = 0;
    for (let r = 0; r < this.runCount * 2; r += 2) size += offsets[runs[r + 1]!]! - offsets[runs[r]!]!;
    if (size > this.scratch.length) this.scratch = new Uint8Array(Math.max(size, this.scratch.length * 2));
    let n = 0;
    for (let r = 0; r < this.runCount * 2; r += 2) {
      const a = offsets[runs[r]!]!;
      const b = offsets[runs[r + 1]!]!;
      this.scratch.set(bytes.subarray(a, b), n);
      n += b - a;
    }
    return sha256Hex(this.scratch.subarray(0, n));
  }

  private addRun(a: number, b: number, skipped: number): void {
    if (skipped >= a && skipped < b) {
      if (skipped > a) this.pushRun(a, skipped);
      if (b > skipped + 1) this.pushRun(skipped + 1, b);
    } else if (b > a) {
      this.pushRun(a, b);
    }
  }

  private pushRun(a: number, b: number): void {
    if (this.runCount * 2 + 2 > this.runs.length) this.runs = grownTo(this.runs, this.runs.length * 2);
    this.runs[this.runCount * 2] = a;
    this.runs[this.runCount * 2 + 1] = b;
    this.runCount++;
  }

  /** First token index whose position is >= pos. */
  private lowerBound(pos: number): number {
    const positions = this.positions;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (positions[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const oneShotHash = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;

function sha256Hex(data: Uint8Array): string {
  const hex = oneShotHash ? oneShotHash('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
  return hex.slice(0, 32);
}

const stream = new TokenStream();

/** Scans `text` into the shared token stream (see TokenStream), applying the AST's hints. */
export function tokenize(text: string, variant: ts.LanguageVariant, hints: TokenHints): TokenStream {
  const out = stream;
  out.length = 0;
  out.count = 0;
  out.offsets[0] = 0;
  const ends = hints.virtualEnds.sorted();
  const drops = hints.dropEnds.sorted();
  const spans = hints.spans;
  const NONE = Number.MAX_SAFE_INTEGER;
  let nextEnd = 0;
  let nextEndAt = ends.length > 0 ? ends[0]! : NONE;
  let nextDrop = 0;
  let nextSpan = 0;
  let nextSpanAt = spans.length > 0 ? spans[0]!.start : NONE;
  let last = M_OTHER;
  let beforeLast = M_OTHER;

  scanner.setText(text);
  scanner.setLanguageVariant(variant);
  /** Where the previous token (or span) ended. */
  let pos = 0;
  for (;;) {
    // JSX text starts right where the previous token ended; scanning it as code could misread it.
    let kind: number = EOF;
    let start = 0;
    let end = 0;
    let delegated = false;
    let spanNow = nextSpanAt <= pos;
    if (!spanNow) {
      kind = fastScan(text, pos);
      if (kind === FAST_DELEGATE) {
        scanner.resetTokenState(fastToken.start);
        kind = scanner.scan();
        delegated = true;
        start = scanner.getTokenStart();
        end = scanner.getTokenEnd();
      } else {
        start = fastToken.start;
        end = fastToken.end;
      }
      if (kind === EOF || kind === FAST_EOF) break;
      spanNow = nextSpanAt <= start;
    }
    // Virtual `;` before whatever comes next (one per distinct statement end).
    if (nextEndAt <= (spanNow ? nextSpanAt : start)) {
      const count = out.count;
      nextEnd = writeVirtualEnds(out, ends, nextEnd, spanNow ? nextSpanAt : start);
      if (out.count > count) {
        beforeLast = out.count - count > 1 ? M_OTHER : last;
        last = M_OTHER;
      }
      nextEndAt = nextEnd < ends.length ? ends[nextEnd]! : NONE;
    }
    if (spanNow) {
      const span = spans[nextSpan++]!;
      nextSpanAt = nextSpan < spans.length ? spans[nextSpan]!.start : NONE;
      if (span.text !== '') {
        out.open(span.start);
        out.writeText(span.text, 0, span.text.length);
        out.close();
        beforeLast = last;
        last = M_OTHER;
      }
      pos = span.end;
      continue;
    }
    pos = end;
    if ((kind === SEMICOLON || kind === COMMA) && nextDrop < drops.length) {
      while (nextDrop < drops.length && drops[nextDrop]! < end) nextDrop++;
      if (nextDrop < drops.length && drops[nextDrop] === end) continue;
    }
    if (last === M_COMMA && (kind === CLOSE_PAREN || kind === CLOSE_BRACE || kind === CLOSE_BRACKET || kind === GREATER_THAN)) {
      const isHole = kind === CLOSE_BRACKET && (beforeLast === M_OPEN_BRACKET || beforeLast === M_COMMA);
      if (!isHole) {
        out.pop();
        last = beforeLast;
      }
    }
    out.open(start);
    if (!delegated) {
      if (kind === FAST_STRING) out.writeQuoted(text, start + 1, end - 1);
      else out.writeText(text, start, end); // punctuation and keywords are their own text here
    } else {
      const fixed = FIXED_BYTES[kind];
      if (fixed) out.writeFixed(fixed);
      else if (kind === STRING) {
        const quoted = JSON.stringify(scanner.getTokenValue());
        out.writeText(quoted, 0, quoted.length);
      } else out.writeText(text, start, end);
    }
    out.close();
    beforeLast = last;
    last = kind === COMMA ? M_COMMA : kind === OPEN_BRACKET ? M_OPEN_BRACKET : M_OTHER;
  }
  writeVirtualEnds(out, ends, nextEnd, NONE);
  return out;
}

/**
 * Writes a virtual `;` for each distinct statement end in `ends` (sorted) from index `from` up to
 * offset `upTo`, at the end's last character; returns the index of the first end not written.
 */
function writeVirtualEnds(out: TokenStream, ends: Int32Array, from: number, upTo: number): number {
  let i = from;
  for (; i < ends.length && ends[i]! <= upTo; i++) {
    const end = ends[i]!;
    if (i > 0 && ends[i - 1] === end) continue;
    out.open(end - 1);
    out.writeFixed(FIXED_BYTES[SEMICOLON]!);
    out.close();
  }
  return i;
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

/**
 * A quick path in front of the TypeScript scanner for tokens.ts: plain ASCII whitespace, comments,
 * identifiers, decimal integers, escape-free strings and punctuation other than `<` make up most of
 * a file, and scanning them here skips the compiler scanner's keyword lookup, identifier strings and
 * comment-directive checks. Anything else (non-ASCII, escapes, templates, `#`, `@`, `<`, numbers
 * with more than digits, unterminated comments, possible merge-conflict markers) is left to the
 * compiler's scanner, which therefore decides every case where the two could disagree.
 * Each token found here is exactly the one `scanner.scan()` (skipping trivia) returns at that point.
 */
import { ts } from 'ts-morph';

const SK = ts.SyntaxKind;

/** `fastScan` results besides a punctuation kind. */
export const FAST_DELEGATE = -1;
export const FAST_EOF = -2;
/** Identifier, keyword or number: emitted as its source text. */
export const FAST_WORD = -3;
/** A string literal without escapes: its value is the text between the quotes. */
export const FAST_STRING = -4;
/** Any other punctuation: emitted as its source text. */
export const FAST_PUNCTUATION = -5;

/** Start and end of the token the last `fastScan` found (start is also set when delegating). */
export const fastToken = { start: 0, end: 0 };

/** The punctuation fastScan reports by its compiler kind (the tokens tokens.ts's normalizations look at). */
export const SEMICOLON = SK.SemicolonToken;
export const COMMA = SK.CommaToken;
export const OPEN_BRACKET = SK.OpenBracketToken;
export const CLOSE_BRACKET = SK.CloseBracketToken;
export const CLOSE_PAREN = SK.CloseParenToken;
export const CLOSE_BRACE = SK.CloseBraceToken;
export const GREATER_THAN = SK.GreaterThanToken;

/** ASCII identifier start and part characters. */
const WORD_START = new Uint8Array(128);
const WORD_PART = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
  WORD_START[c] = letter ? 1 : 0;
  WORD_PART[c] = letter || (c >= 48 && c <= 57) ? 1 : 0;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * Skips trivia from `pos` and scans one token into `fastToken`, returning its kind as the compiler
 * numbers the punctuation tokens.ts distinguishes, or FAST_WORD / FAST_STRING / FAST_PUNCTUATION /
 * FAST_EOF, or FAST_DELEGATE when the compiler's scanner must scan from `fastToken.start`.
 */
export function fastScan(text: string, pos: number): number {
  const length = text.length;
  let p = pos;
  let c = 0;
  for (;;) {
    if (p >= length) {
      fastToken.start = fastToken.end = p;
      return FAST_EOF;
    }
    c = text.charCodeAt(p);
    if (c === 32 || c === 10 || c === 9 || c === 13 || c === 11 || c === 12) {
      p++;
    } else if (c === 47 && text.charCodeAt(p + 1) === 47) {
      p += 2;
      while (p < length && !isLineBreak(text.charCodeAt(p))) p++;
    } else if (c === 47 && text.charCodeAt(p + 1) === 42) {
      const close = text.indexOf('*/', p + 2);
      if (close === -1) {
        fastToken.start = p; // unterminated: the compiler reports it
        return FAST_DELEGATE;
      }
      p = close + 2;
    } else {
      break;
    }
  }
  fastToken.start = p;
  if (c >= 128) return FAST_DELEGATE;
  if (WORD_START[c]) {
    let q = p + 1;
    while (q < length && (c = text.charCodeAt(q)) < 128 && WORD_PART[c]) q++;
    if (q < length && (c >= 128 || c === 92)) return FAST_DELEGATE; // a unicode part or escape follows
    fastToken.end = q;
    return FAST_WORD;
  }
  if (c >= 48 && c <= 57) {
    let q = p + 1;
    while (q < length && (c = text.charCodeAt(q)) >= 48 && c <= 57) q++;
    if (q < length && (c >= 128 || c === 92 || c === 46 || WORD_PART[c])) return FAST_DELEGATE;
    fastToken.end = q;
    return FAST_WORD;
  }
  if (c === 34 || c === 39) {
    for (let q = p + 1; q < length; q++) {
      const d = text.charCodeAt(q);
      if (d === c) {
        fastToken.end = q + 1;
        return FAST_STRING;
      }
      if (d === 92 || isLineBreak(d)) return FAST_DELEGATE;
    }
    return FAST_DELEGATE;
  }
  const next = text.charCodeAt(p + 1);
  let size = 1;
  let kind = FAST_PUNCTUATION;
  switch (c) {
    case 59: kind = SEMICOLON; break;
    case 44: kind = COMMA; break;
    case 91: kind = OPEN_BRACKET; break;
    case 93: kind = CLOSE_BRACKET; break;
    case 41: kind = CLOSE_PAREN; break;
    case 125: kind = CLOSE_BRACE; break;
    case 40: case 123: case 58: case 126: break; // ( { : ~
    case 46: // .
      if (next >= 48 && next <= 57) return FAST_DELEGATE;
      if (next === 46 && text.charCodeAt(p + 2) === 46) size = 3;
      break;
    case 61: // =, a conflict marker at a line start
      if (p === 0 || isLineBreak(text.charCodeAt(p - 1))) return FAST_DELEGATE;
      if (next === 61) size = text.charCodeAt(p + 2) === 61 ? 3 : 2;
      else if (next === 62) size = 2;
      break;
    case 62: // > alone: the parser rescans `>=`, `>>`
      if (p === 0 || isLineBreak(text.charCodeAt(p - 1))) return FAST_DELEGATE;
      kind = GREATER_THAN;
      break;
    case 124: // |
      if (p === 0 || isLineBreak(text.charCodeAt(p - 1))) return FAST_DELEGATE;
      if (next === 124) size = text.charCodeAt(p + 2) === 61 ? 3 : 2;
      else if (next === 61) size = 2;
      break;
    case 38: // &
      if (next === 38) size = text.charCodeAt(p + 2) === 61 ? 3 : 2;
      else if (next === 61) size = 2;
      break;
    case 33: // !
      if (next === 61) size = text.charCodeAt(p + 2) === 61 ? 3 : 2;
      break;
    case 42: // *
      if (next === 61) size = 2;
      else if (next === 42) size = text.charCodeAt(p + 2) === 61 ? 3 : 2;
      break;
    case 43: // +
    case 45: // -
      if (next === c || next === 61) size = 2;
      break;
    case 47: // / (a regex is a span from the AST)
    case 37: // %
    case 94: // ^
      if (next === 61) size = 2;
      break;
    case 63: { // ?
      const after = text.charCodeAt(p + 2);
      if (next === 46 && !(after >= 48 && after <= 57)) size = 2;
      else if (next === 63) size = after === 61 ? 3 : 2;
      break;
    }
    default:
      return FAST_DELEGATE;
  }
  fastToken.end = p + size;
  return kind;
}

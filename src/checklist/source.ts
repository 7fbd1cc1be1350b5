/**
 * Parsing one symbol's stored text (a fragment of a file) with the TypeScript parser that ts-morph
 * ships. No type checker and no Project: the detectors only need syntax, and the raw parser is the
 * fastest way to get it for hundreds of fragments.
 *
 * A method, constructor or accessor does not parse on its own, so such fragments are wrapped in a
 * class whose opening sits on the fragment's first line: line numbers stay those of the fragment.
 */
// The TypeScript compiler itself (not ts-morph, whose file-system layer needs Node): the Worker bundles this.
import ts from 'typescript';

const WRAPPER = 'class __grasp_fragment__ { ';

export interface Fragment {
  sf: ts.SourceFile;
  /** The declaration the fragment is about (first statement, or the class member when wrapped). */
  root: ts.Node | undefined;
  wrapped: boolean;
  /** Parse diagnostics of the chosen form (0 = the fragment parsed cleanly). */
  errors: number;
}

function scriptKind(file: string): ts.ScriptKind {
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function parseErrors(sf: ts.SourceFile): number {
  // parseDiagnostics is internal but present on every SourceFile the parser returns.
  return (sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0;
}

const MEMBER_KINDS = new Set(['method', 'constructor', 'getter', 'setter']);

const OPENERS: Record<string, string> = { '{': '}', '(': ')', '[': ']' };

/**
 * Stored symbol texts cut each nested symbol to its first line plus " …" (see the analysis'
 * symbolSourceText). For parsing, such a line gets the closers its open brackets lack, so
 * `  get(key: string) { …` reads as an empty method and the rest of the text still parses.
 */
export function closeCollapsedLines(text: string): string {
  if (!text.includes(' …')) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!line.endsWith(' …')) return line;
      const body = line.slice(0, -2);
      const stack: string[] = [];
      for (const ch of body.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '')) {
        if (OPENERS[ch]) stack.push(OPENERS[ch]!);
        else if (ch === stack[stack.length - 1]) stack.pop();
      }
      return body + stack.reverse().join('');
    })
    .join('\n');
}

export function parseFragment(rawText: string, file: string, kind?: string): Fragment {
  const text = closeCollapsedLines(rawText);
  const sk = scriptKind(file);
  const plain = (): Fragment => {
    const sf = ts.createSourceFile('fragment' + file.slice(file.lastIndexOf('.')), text, ts.ScriptTarget.Latest, true, sk);
    return { sf, root: sf.statements[0], wrapped: false, errors: parseErrors(sf) };
  };
  const wrapped = (): Fragment => {
    const sf = ts.createSourceFile('fragment' + file.slice(file.lastIndexOf('.')), `${WRAPPER}${text}\n}`, ts.ScriptTarget.Latest, true, sk);
    const cls = sf.statements[0];
    const root = cls && ts.isClassDeclaration(cls) ? cls.members[0] : undefined;
    return { sf, root, wrapped: true, errors: parseErrors(sf) };
  };
  const first = kind && MEMBER_KINDS.has(kind) ? wrapped() : plain();
  if (first.errors === 0) return first;
  const second = first.wrapped ? plain() : wrapped();
  return second.errors < first.errors ? second : first;
}

/** 1-based line of a node's first token within the fragment. */
export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** The fragment's text of a line (1-based), whitespace collapsed: a key to match findings old vs new. */
export function lineKey(sf: ts.SourceFile, line: number): string {
  const starts = sf.getLineStarts();
  const start = starts[line - 1] ?? 0;
  const end = starts[line] ?? sf.text.length;
  let text = sf.text.slice(start, end);
  if (line === 1 && text.startsWith(WRAPPER)) text = text.slice(WRAPPER.length);
  return text.replace(/\s+/g, ' ').trim();
}

const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true);
const CLOSERS = new Set([')', '}', ']', '>']);

/** Token text of a snippet, comments and whitespace dropped, `;`/`,` before a closer dropped: compares declarations by meaning of their text. */
export function normalizedTokens(text: string): string {
  const tokens: string[] = [];
  scanner.setText(text);
  scanner.resetTokenState(0);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const t = scanner.getTokenText();
    if (CLOSERS.has(t) && (tokens[tokens.length - 1] === ';' || tokens[tokens.length - 1] === ',')) tokens.pop();
    tokens.push(t);
  }
  while (tokens[tokens.length - 1] === ';') tokens.pop();
  return joinTokens(tokens);
}

const WORDY = /^[\w$'"`@#]/;
const SPACED = new Set(['=>', '|', '&', '=', '?', 'extends', 'keyof', 'typeof', 'in', 'is', 'as']);

/** Tokens as readable code: `Promise<number>`, `a: string, b?: Date`, `A | B`. */
function joinTokens(tokens: readonly string[]): string {
  let out = '';
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (prev !== undefined) {
      const wordPair = WORDY.test(t) && /[\w$'"`]$/.test(prev);
      if (wordPair || SPACED.has(t) || SPACED.has(prev) || prev === ',' || prev === ':' || prev === ';' || t === '{' || prev === '{' || t === '}') out += ' ';
    }
    out += t;
  });
  return out;
}

/** Identifiers mentioned in a text (for reference edges); cheap and parser-free. */
export function identifiersOf(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

/** The simple name a qualified symbol name is called by: `Cache.get` -> `get`, `Cache.size:get` -> `size`, `f#2` -> `f`. */
export function simpleName(qualified: string): string {
  const last = qualified.slice(qualified.lastIndexOf('.') + 1);
  return last.replace(/[:#].*$/, '');
}

/** The node's name as written, when it has a plain one. */
export function nameOf(node: ts.Node): string | undefined {
  const name = (node as { name?: ts.Node }).name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText();
}

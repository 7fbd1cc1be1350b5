/**
 * Parsing: the TypeScript compiler that ts-morph bundles turns source text into the AST extract.ts
 * walks. We call its `createSourceFile` directly, without a ts-morph Project and without parent
 * pointers: a Project parse measured about twice the cost of the bare parser (it sets parents and
 * wraps each file), and the walker carries the few ancestors it needs itself.
 */
import { ts } from 'ts-morph';
import { scriptExtension } from './types.ts';

/** Script kind by extension: each parses by its own rules (JSX only in .tsx/.jsx/.js-family). */
export const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

const LATEST = ts.ScriptTarget.Latest;
const createSourceFile = ts.createSourceFile;

/**
 * Parses `text` as the file type `path` names (TypeScript for unknown extensions) and returns the
 * compiler AST, without parent pointers. The file is named by its extension only, so a `.d.ts` path
 * parses as ordinary TypeScript, as it always has here.
 */
export function parseSource(path: string, text: string): ts.SourceFile {
  const ext = scriptExtension(path) ?? '.ts';
  return createSourceFile(`/blob${ext}`, text, LATEST, /* setParentNodes */ false, SCRIPT_KINDS[ext]);
}

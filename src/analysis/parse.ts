/**
 * Parsing with ts-morph: one in-memory Project (no type checker, no lib, no module resolution)
 * turns source text into the TypeScript compiler AST that extract.ts walks.
 */
import { Project, ts } from 'ts-morph';
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

let project: Project | undefined;
let parsedInProject = 0;
/** Files per Project before it is replaced (see parseWithTsMorph). */
const FILES_PER_PROJECT = 64;

function sharedProject(): Project {
  if (!project || parsedInProject >= FILES_PER_PROJECT) {
    project = new Project({
      useInMemoryFileSystem: true,
      skipAddingFilesFromTsConfig: true,
      skipFileDependencyResolution: true,
      compilerOptions: { allowJs: true, noLib: true, noResolve: true, target: ts.ScriptTarget.ESNext },
    });
    parsedInProject = 0;
  }
  return project;
}

/**
 * Parses `text` as the file type `path` names (TypeScript for unknown extensions) with ts-morph's
 * in-memory Project (no type checker), returning the compiler AST. Removing files one by one makes
 * ts-morph walk each file's comment nodes; dropping the whole in-memory Project every
 * FILES_PER_PROJECT files is cheaper and keeps memory just as flat.
 */
export function parseWithTsMorph(path: string, text: string): ts.SourceFile {
  const ext = scriptExtension(path) ?? '.ts';
  const p = sharedProject();
  parsedInProject++;
  // Unique names and no `overwrite`: ts-morph then never probes its file system (which throws and catches).
  const file = p.createSourceFile(`/blob${parsedInProject}${ext}`, text, { scriptKind: SCRIPT_KINDS[ext] });
  return file.compilerNode;
}

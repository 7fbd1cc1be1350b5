/**
 * The layering rules, checked on the source text so they stay true:
 * - only src/db/ imports drizzle-orm or the schema;
 * - only src/db/repo/ runs queries (`.db.` on a store), besides the driver seam itself;
 * - src/core/ imports nothing outside src/core/ (no I/O, no database, no git);
 * - src/db/ imports nothing from the layers above it (analysis, github, report, http, cli, ...).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(e.name) ? [path] : [];
  });
}

const files = sourceFiles(src).map((path) => ({ path: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** src-relative folder an import resolves into ('db', 'core', ...), or null for packages. */
function targetRoom(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const parts = file.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts[0] === 'src' ? parts.slice(1).join('/') : null;
}

describe('layering', () => {
  it('reads every source file and finds their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf("import { a } from './a.ts';\nexport type { B } from '../b.ts';\nconst c = await import('./c.ts');")).toEqual(['./a.ts', '../b.ts', './c.ts']);
    expect(targetRoom('src/http/routes/x.ts', '../../db/schema.ts')).toBe('db/schema.ts');
  });

  it('only src/db/ imports drizzle-orm or the schema', () => {
    const offenders = files
      .filter((f) => !f.path.startsWith('src/db/'))
      .flatMap((f) => importsOf(f.text).filter((s) => s.startsWith('drizzle-orm') || targetRoom(f.path, s) === 'db/schema.ts').map((s) => `${f.path} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('only src/db/repo/ queries the database', () => {
    const seam = new Set(['src/db/store.ts', 'src/db/node/open.ts', 'src/db/d1/open.ts']);
    const offenders = files.filter((f) => !f.path.startsWith('src/db/repo/') && !seam.has(f.path) && /\.db\s*\.\s*(select|insert|update|delete|run|all|get|batch|values)\b/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('src/core/ imports only src/core/ and plain packages', () => {
    // Pure libraries only: validation and text diffing (the PR line carry-forward).
    const allowedPackages = new Set(['zod', 'diff']);
    const offenders = files
      .filter((f) => f.path.startsWith('src/core/'))
      .flatMap((f) =>
        importsOf(f.text)
          .filter((s) => (s.startsWith('.') ? !(targetRoom(f.path, s) ?? '').startsWith('core/') : !allowedPackages.has(s) && !s.startsWith('node:crypto')))
          .map((s) => `${f.path} imports ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it('src/db/ never imports the layers above it', () => {
    const offenders = files
      .filter((f) => f.path.startsWith('src/db/'))
      .flatMap((f) =>
        importsOf(f.text)
          .filter((s) => {
            const room = targetRoom(f.path, s);
            return room !== null && !room.startsWith('db/') && !room.startsWith('core/');
          })
          .map((s) => `${f.path} imports ${s}`),
      );
    expect(offenders).toEqual([]);
  });
});

import { Project, ts } from 'ts-morph';
import { readFileSync } from 'node:fs';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, 2000);
const mk = () => new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { allowJs: true, noLib: true, noResolve: true } });
const p = mk();
let q = mk(); let n = 0;
const variants: Record<string, () => void> = {
  rawParent: () => { for (const f of files) ts.createSourceFile('/blob.ts', f.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS); },
  morphRemove: () => { for (const f of files) { const sf = p.createSourceFile('/blob.ts', f.text, { overwrite: true, scriptKind: ts.ScriptKind.TS }); sf.compilerNode; p.removeSourceFile(sf); } },
  morphRotate: () => { for (const f of files) { if (++n % 128 === 0) q = mk(); const sf = q.createSourceFile(`/b${n}.ts`, f.text, { scriptKind: ts.ScriptKind.TS }); sf.compilerNode; } },
};
for (let r = 0; r < 4; r++) for (const [k, fn] of Object.entries(variants)) { const t = performance.now(); fn(); console.log(r, k, Math.round(performance.now() - t)); }
let t = performance.now(); for (let i = 0; i < 50; i++) mk(); console.log('project create ms each', (performance.now() - t) / 50);

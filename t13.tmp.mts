import { readFileSync } from 'node:fs';
import { Project, ts } from 'ts-morph';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, 3000);
const p2 = new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { allowJs: true, noLib: true, noResolve: true, target: ts.ScriptTarget.ESNext } });
function v2() { for (const f of files) { const sf = p2.createSourceFile('/blob.ts', f.text, { scriptKind: ts.ScriptKind.TS }); sf.compilerNode; p2.removeSourceFile(sf); } }
v2(); v2(); v2();

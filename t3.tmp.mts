import { openNodeStore } from './src/db/node/open.ts';
import { CatFileBatch } from './src/analysis/cat-file.ts';
import { writeFileSync } from 'node:fs';
const store = openNodeStore('/tmp/hono-bench.db');
const raw = (store.db as any).$client;
const rows = raw.prepare(`select distinct fc.new_blob as blob, fc.path as path from file_changes fc join blob_analyses ba on ba.blob = fc.new_blob where ba.status = 'ok'`).all();
const seen = new Set(); const list = [];
const cat = new CatFileBatch('/work/.mirror/honojs+hono/repo');
for (const r of rows) { if (seen.has(r.blob)) continue; seen.add(r.blob); list.push(r); }
const out = await Promise.all(list.map(async (r) => ({ path: r.path, text: (await cat.readBlob(r.blob)).toString('utf8') })));
await cat.close();
writeFileSync('/tmp/hono-blobs.json', JSON.stringify(out));
console.log(out.length, out.reduce((n, f) => n + f.text.length, 0));

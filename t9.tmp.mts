import { readFileSync } from 'node:fs';
import { parseWithTsMorph } from './src/analysis/extract.ts';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, 3000);
for (let r = 0; r < 3; r++) { for (const f of files) parseWithTsMorph(f.path, f.text); }

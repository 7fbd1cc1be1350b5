/**
 * The write bench's floor: the same stack as `grasp serve` (hono on @hono/node-server, one Node
 * process) answering POST /api/marks with no storage, auth or target lookup: it parses the JSON
 * body and answers 201 with a mark-shaped JSON. What the machine and the HTTP layer cost alone.
 * Started by bench/load.ts; prints "listening on <url>" like `grasp serve`.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().post('/api/marks', async (c) => {
  const body = (await c.req.json()) as { target?: string; level?: string; note?: string };
  const at = new Date().toISOString();
  return c.json({ marks: [{ engineer: 'floor', symbol: body.target ?? '', file: '', hash: '', level: body.level ?? '', note: body.note ?? null, at }] }, 201);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`listening on http://127.0.0.1:${info.port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { SIGNATURE_HEADER } from '../../src/alerts/webhook.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { createApp } from '../../src/http/app.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const run = promisify(execFile);
const grasp = (args: string[], env: Record<string, string> = {}) => run('node', [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';

describe('stale-understanding alerts', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-alerts-'));
  const db = join(dir, 'g.db');
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends one signed POST per engineer after the ingest committed, surviving a receiver that fails twice', async () => {
    repo.write('src/a.ts', 'export function total(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0);\n}\n\nexport function keep() {\n  return 1;\n}\n').commit({ message: `sum\n\n${CLAUDE}` });
    await grasp(['ingest', repo.dir, '--db', db]);
    for (const h of ['ada', 'bob']) await grasp(['engineer', 'add', h, '--name', h, '--db', db]);
    await grasp(['mark', 'src/a.ts#total', '--as', 'ada', '--level', 'reviewed', '--db', db]);
    await grasp(['mark', 'src/a.ts#keep', '--as', 'bob', '--level', 'explained', '--note', 'constant one', '--db', db]);
    await grasp(['mark', 'src/a.ts#total', '--as', 'bob', '--level', 'viewed', '--db', db]);
    const change = repo
      .write('src/a.ts', 'export function total(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0) | 0;\n}\n\nexport function keep() {\n  return 1;\n}\n')
      .commit({ message: `truncate\n\n${CLAUDE}` });

    const received: { body: string; signature: string; commitsInDb: number }[] = [];
    let calls = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (++calls <= 2) return void res.writeHead(500).end();
        // Delivered only after the ingest committed: the database already holds every commit.
        const check = new Database(db, { readonly: true });
        const { n } = check.prepare('select count(*) as n from commits').get() as { n: number };
        check.close();
        received.push({ body, signature: String(req.headers[SIGNATURE_HEADER.toLowerCase()]), commitsInDb: n });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
      const out = await grasp(['ingest', repo.dir, '--db', db], { GRASP_ALERT_WEBHOOK_URL: url, GRASP_ALERT_WEBHOOK_SECRET: 'k' });
      expect(out.stdout).toContain('stale-understanding alerts: 1 of 1 engineers notified');
    } finally {
      server.close();
    }
    expect(received).toHaveLength(1); // ada only: bob's explained mark is on an unchanged symbol, his viewed mark alerts nobody
    expect(received[0]!.commitsInDb).toBe(2);
    expect(received[0]!.signature).toBe(`sha256=${createHmac('sha256', 'k').update(received[0]!.body).digest('hex')}`);
    const payload = JSON.parse(received[0]!.body);
    expect(payload).toMatchObject({ event: 'understanding.stale', engineer: 'ada', items: [{ target: 'src/a.ts#total', level: 'reviewed', commit: { sha: change, agent: 'claude' } }] });
    expect(payload.items[0].diff).toContain('| 0');

    // The report tells Ada too, in its own section.
    const report = JSON.parse((await grasp(['report', 'ada', '--db', db, '--format', 'json'])).stdout);
    expect(report.staleUnderstanding).toEqual([{ target: 'src/a.ts#total', level: 'reviewed', markedAt: expect.any(String), commit: expect.objectContaining({ sha: change, agent: 'claude' }) }]);
    expect((await grasp(['report', 'ada', '--db', db])).stdout).toContain('## Your understanding went stale');
    expect(JSON.parse((await grasp(['report', 'bob', '--db', db, '--format', 'json'])).stdout).staleUnderstanding).toEqual([]);

    // A later ingest with nothing new sends nothing; the API still lists the alert.
    const again = await grasp(['ingest', repo.dir, '--db', db], { GRASP_ALERT_WEBHOOK_URL: 'http://127.0.0.1:1/none' });
    expect(again.stdout).not.toContain('alerts');
    const store = openNodeStore(db);
    try {
      const res = await createApp({ store }).request('/api/engineers/ada/alerts');
      expect((await res.json()).items).toEqual([expect.objectContaining({ symbol: 'total', commit: expect.objectContaining({ sha: change }) })]);
      expect((await (await createApp({ store }).request('/api/engineers/bob/alerts')).json()).items).toEqual([]);
      expect((await createApp({ store }).request('/api/engineers/nobody/alerts')).status).toBe(404);
    } finally {
      store.close();
    }
  }, 120_000);
});

/**
 * A team database for the desk's pinned-results test (tests/desk/desk-pinned.test.ts), built the
 * way production fills one: three real git repositories ingested by the CLI (`--all-refs`), open
 * pull requests, review requests and reviews delivered as GitHub's own example webhooks
 * (@octokit/webhooks-examples) rewritten to the fixtures' shas, and marks written by recordMarks.
 *
 * - acme/shop: five open PRs by several agents and a human, synced from GitHub (recorded GraphQL
 *   answers, tests/fixtures/github/desk-shop); #11 and #12 change Cart.total, #12 and #13 change
 *   round2; #13 bumps a dependency and swallows an error; #14 deletes a symbol and renames a file;
 *   #16's head was never ingested (a warning). On main: an agent's lines rewritten within a week
 *   (churn) and a reverted agent commit.
 * - acme/api: two PRs from webhooks changing the same handler, and a Cart.total of its own (no
 *   collision with shop's).
 * - acme/tools: no PR, so its unmerged branches stand in (two colliding, one alone), and its
 *   `.github/grasp.yml` requires explanations.
 * Every date is fixed, so the shas and every figure are the same on each run.
 */
import examples from '@octokit/webhooks-examples';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { addEngineer, getEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { getRepoByName } from '../../src/db/repo/repos.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { forRepo, type Store } from '../../src/db/store.ts';
import { signWebhookBody } from '../../src/github/webhook-signature.ts';
import { createGithubClient } from '../../src/github/client.ts';
import { syncGithub } from '../../src/github/sync.ts';
import { createApp } from '../../src/http/app.ts';
import { loadScenario, recordedFetch } from '../fixtures/github/recorded-fetch.ts';
import { GitFixture, HUMAN, HUMAN2, tempDir, type Person } from './git-fixture.ts';

const BIN = resolve(import.meta.dirname, '../../bin/grasp.mjs');
const SECRET = 'desk fixture secret';
/** "Now" for every figure of the fixture: a day after the last commit. */
export const DESK_NOW = Date.parse('2026-11-06T12:00:00Z');
const CAROL: Person = { name: 'Carol Coder', email: 'carol@example.com' };
const trailer = (name: string, email: string) => `\n\nCo-authored-by: ${name} <${email}>`;
const CLAUDE = trailer('Claude', 'noreply@anthropic.com');
const CODEX = trailer('Codex', 'noreply@openai.com');
const CURSOR = trailer('Cursor Agent', 'cursoragent@cursor.com');
const COPILOT = trailer('Copilot', '198982749+Copilot@users.noreply.github.com');

const cart = (total: string, add = 'this.items.push(n);', extra = '') =>
  [
    'export class Cart {',
    '  items: number[] = [];',
    '  total(): number {',
    `    ${total}`,
    '  }',
    '  add(n: number): void {',
    `    ${add}`,
    '  }',
    '  discount(rate: number): number {',
    '    return this.total() * (1 - rate);',
    '  }',
    extra,
    '}',
    '',
  ].join('\n');

const util = (clamp: string | null, round2: string) =>
  [
    ...(clamp === null ? [] : ['export function clamp(x: number, lo: number, hi: number): number {', `  ${clamp}`, '}', '']),
    'export function round2(x: number): number {',
    `  ${round2}`,
    '}',
    '',
  ].join('\n');

const retry = (body: string) =>
  [
    'export async function retry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {',
    '  let last: unknown;',
    '  for (let i = 0; i < attempts; i++) {',
    `    ${body}`,
    '  }',
    '  throw last;',
    '}',
    '',
  ].join('\n');

const pkg = (zod: string) => `${JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { zod } }, null, 2)}\n`;

export interface DeskFixture {
  db: string;
  repos: { shop: GitFixture; api: GitFixture; tools: GitFixture };
  store: Store;
  cleanup(): void;
}

interface PrSpec {
  repository: string;
  number: number;
  title: string;
  author: string;
  branch: string;
  base: string;
  head: string;
  updatedAt: string;
  requested?: string[];
}

function example(name: string, action: string): Record<string, any> {
  const list = (examples as { name: string; examples: Record<string, any>[] }[]).find((e) => e.name === name)!.examples;
  return structuredClone(list.find((e) => e.action === action)!);
}

function pullRequestPayload(spec: PrSpec, action: string, event = 'pull_request'): Record<string, any> {
  const e = example(event, action);
  const pr = e.pull_request;
  e.number = spec.number;
  pr.number = spec.number;
  pr.title = spec.title;
  pr.state = 'open';
  pr.user.login = spec.author;
  pr.head.ref = spec.branch;
  pr.head.sha = spec.head;
  pr.base.ref = 'main';
  pr.base.sha = spec.base;
  pr.created_at = spec.updatedAt;
  pr.updated_at = spec.updatedAt;
  pr.merged_at = null;
  pr.requested_reviewers = (spec.requested ?? []).map((login) => ({ ...pr.user, login }));
  pr.requested_teams = [];
  e.repository.full_name = spec.repository;
  return e;
}

export async function buildDeskFixture(): Promise<DeskFixture> {
  const dir = tempDir('grasp-desk-fixture-');
  const db = join(dir, 'team.db');
  const shop = new GitFixture();
  const api = new GitFixture();
  const tools = new GitFixture();
  const grasp = (args: string[]) => execFileSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  // acme/shop: main history, weeks old (so churn windows have passed); the PRs a few days old.
  const at = (day: number, hour: number, month = 11) => `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
  shop
    .write('src/cart.ts', cart('return this.items.reduce((a, b) => a + b, 0);'))
    .write('src/util.ts', util('return Math.min(hi, Math.max(lo, x));', 'return Math.round(x * 100) / 100;'))
    .write('tests/cart.test.ts', "import { Cart } from '../src/cart';\nit('totals', () => {\n  expect(new Cart().total()).toBe(0);\n});\n")
    .write('package.json', pkg('^3.22.0'))
    .commit({ message: 'shop base', date: at(1, 9, 9) });
  shop.write('src/retry.ts', retry('try {\n      return await fn();\n    } catch (e) {\n      last = e;\n    }')).commit({ message: `retry helper${CLAUDE}`, date: at(2, 11, 9) });
  // Within a week a human rewrites part of the agent's retry: churn.
  shop
    .write('src/util.ts', util('return x < lo ? lo : x > hi ? hi : x;', 'return Math.round(x * 100) / 100;'))
    .write('src/retry.ts', retry('try {\n      return await fn();\n    } catch (err) {\n      last = err;\n    }'))
    .commit({ author: HUMAN2, message: 'clamp without Math', date: at(5, 10, 9) });
  const doomed = shop
    .write('src/cart.ts', cart('return this.items.reduce((a, b) => a + b, 0);', 'if (n > 0) {\n      this.items.push(n);\n    }'))
    .commit({ message: `ignore negative items${CLAUDE}`, date: at(10, 15, 9) });
  // `git revert` as it writes it, with a fixed date (so the sha is the same on every run).
  shop.write('src/cart.ts', cart('return this.items.reduce((a, b) => a + b, 0);')).commit({ message: `Revert "ignore negative items"\n\nThis reverts commit ${doomed}.`, date: at(11, 16, 9) });
  shop
    .write('src/money.ts', "export function formatMoney(cents: number): string {\n  const sign = cents < 0 ? '-' : '';\n  const abs = Math.abs(cents);\n  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;\n}\n")
    .commit({ message: `money format${CLAUDE}`, date: at(1, 10, 10) });
  const shopBase = shop.write('src/retry.ts', retry('try {\n      return await fn();\n    } catch (e) {\n      last = e;\n      await new Promise((r) => setTimeout(r, 2 ** i * 100));\n    }')).commit({ message: `backoff${CLAUDE}`, date: at(20, 9, 10) });

  const branchOff = (repo: GitFixture, name: string, from: string) => repo.checkout('main').branch(name, from).checkout(name);
  branchOff(shop, 'claude/tax', shopBase);
  const tax1 = shop.write('src/cart.ts', cart('return this.items.reduce((a, b) => a + b, 0) * 1.2;')).write('src/tax.ts', 'export function tax(x: number): number {\n  return x * 0.2;\n}\n').commit({ message: `tax${CLAUDE}`, date: at(4, 9) });
  shop.write('src/tax.ts', 'export function tax(x: number, rate = 0.2): number {\n  return x * rate;\n}\n').commit({ message: 'tax rate', date: at(4, 10) });
  const tax = shop.head();
  branchOff(shop, 'codex/round', shopBase);
  shop
    .write('src/cart.ts', cart('return Math.round(this.items.reduce((a, b) => a + b, 0));'))
    .write('src/util.ts', util('return x < lo ? lo : x > hi ? hi : x;', 'return Math.round(x * 100 + Number.EPSILON) / 100;'))
    .commit({ message: `round totals${CODEX}`, date: at(4, 11) });
  const round = shop.head();
  branchOff(shop, 'cursor/deps', shopBase);
  shop
    .write('package.json', pkg('^4.1.0'))
    .write('src/util.ts', util('return x < lo ? lo : x > hi ? hi : x;', 'try {\n    return Number((x as any).toFixed(2));\n  } catch {}\n  return x;'))
    .commit({ message: `zod 4${CURSOR}`, date: at(4, 12) });
  const deps = shop.head();
  branchOff(shop, 'copilot/cleanup', shopBase);
  shop.move('src/retry.ts', 'src/net/retry.ts').write('src/util.ts', util(null, 'return Math.round(x * 100) / 100;')).commit({ message: `drop clamp, move retry${COPILOT}`, date: at(4, 13) });
  const cleanup = shop.head();
  branchOff(shop, 'bob/add', shopBase);
  shop
    .write('src/cart.ts', cart('return this.items.reduce((a, b) => a + b, 0);', 'this.items.push(Math.max(0, n));'))
    .write('tests/cart.test.ts', "import { Cart } from '../src/cart';\nit('totals', () => {\n  const c = new Cart();\n  c.add(-1);\n  expect(c.total()).toBe(0);\n});\n")
    .commit({ author: HUMAN2, message: 'no negative items', date: at(4, 14) });
  const add = shop.head();
  shop.checkout('main');

  // acme/api: its own Cart.total, and two PRs on one handler.
  const apiBase = api
    .write('src/cart.ts', cart('return this.items.length;'))
    .write('src/handler.ts', 'export function handle(req: { path: string }): number {\n  return req.path === "/" ? 200 : 404;\n}\n')
    .commit({ message: 'api base', date: at(1, 8, 9) });
  const levels = ['trace', 'debug', 'info', 'notice', 'warn', 'error', 'fatal', 'panic', 'audit', 'metric', 'event'];
  // A complexity flag for codex on main: eleven branches in one function.
  api
    .write('src/log.ts', `export function logLine(level: string, message: string): string {\n${levels.map((l, i) => `  if (level === '${l}') return '${i} ' + message;\n`).join('')}  return message;\n}\n`)
    .commit({ message: `log lines${CODEX}`, date: at(15, 9, 9) });
  branchOff(api, 'claude/routes', apiBase);
  api.write('src/handler.ts', 'export function handle(req: { path: string }): number {\n  if (req.path === "/health") return 204;\n  return req.path === "/" ? 200 : 404;\n}\n').write('src/cart.ts', cart('return this.items.length * 2;')).commit({ message: `health route${CLAUDE}`, date: at(5, 9) });
  const routes = api.head();
  branchOff(api, 'codex/status', apiBase);
  api.write('src/handler.ts', 'export function handle(req: { path: string }): number {\n  return req.path.startsWith("/") ? 200 : 400;\n}\n').commit({ message: `status codes${CODEX}`, date: at(5, 10) });
  const status = api.head();
  api.checkout('main');

  // acme/tools: git only; a policy that requires explanations.
  const toolsBase = tools
    .write('src/cli.ts', 'export function parse(argv: string[]): string[] {\n  return argv.slice(2);\n}\nexport function usage(): string {\n  return "usage: tool";\n}\n')
    .write('.github/grasp.yml', 'require: explained\n')
    .commit({ author: CAROL, message: 'tools base', date: at(1, 7, 9) });
  branchOff(tools, 'claude/flags', toolsBase);
  tools.write('src/cli.ts', 'export function parse(argv: string[]): string[] {\n  return argv.slice(2).filter((a) => !a.startsWith("--"));\n}\nexport function usage(): string {\n  return "usage: tool";\n}\n').commit({ message: `flags${CLAUDE}`, date: at(5, 11) });
  branchOff(tools, 'codex/argv', toolsBase);
  tools.write('src/cli.ts', 'export function parse(argv: string[]): string[] {\n  return argv.slice(1);\n}\nexport function usage(): string {\n  return "usage: tool";\n}\n').commit({ message: `argv${CODEX}`, date: at(5, 12) });
  branchOff(tools, 'cursor/help', toolsBase);
  tools.write('src/help.ts', 'export function help(): string {\n  return "help";\n}\n').commit({ message: `help${CURSOR}`, date: at(5, 13) });
  tools.checkout('main');

  grasp(['ingest', shop.dir, '--all-refs', '--name', 'acme/shop']);
  grasp(['ingest', api.dir, '--all-refs', '--name', 'acme/api']);
  grasp(['ingest', tools.dir, '--all-refs', '--name', 'acme/tools']);
  // A branch pushed after the ingest: the queue warns it is not ingested.
  branchOff(tools, 'copilot/late', toolsBase);
  tools.write('src/late.ts', 'export const late = 1;\n').commit({ message: `late${COPILOT}`, date: at(5, 14) });
  tools.checkout('main');

  const store = openNodeStore(db);
  const t0 = Date.parse('2026-11-05T08:00:00Z');
  await addEngineer(store, { handle: 'ada', name: 'Ada Human', emails: [HUMAN.email], logins: ['ada-h'] }, t0);
  await addEngineer(store, { handle: 'bob', name: 'Bob Builder', emails: [HUMAN2.email], logins: ['bob-b'] }, t0);
  await addEngineer(store, { handle: 'carol', name: 'Carol Coder', emails: [CAROL.email], logins: ['carol-c'] }, t0);

  // Pull requests and reviews as GitHub delivers them.
  const app = createApp({ store, webhookSecret: SECRET, now: () => DESK_NOW });
  let delivery = 0;
  const deliver = async (event: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const res = await app.request('/webhooks/github', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': `5f0c7a10-0000-4000-8000-${String(++delivery).padStart(12, '0')}`,
        'x-hub-signature-256': await signWebhookBody(SECRET, body),
      },
    });
    if (res.status !== 200) throw new Error(`webhook ${event}: ${res.status} ${await res.text()}`);
  };
  // acme/shop's pull requests come from a GitHub sync (recorded GraphQL answers), acme/api's from webhooks.
  const served = recordedFetch(loadScenario('desk-shop', { shopBase, tax1, tax, round, deps, cleanup, add, ghost: 'f'.repeat(40) }));
  const client = createGithubClient({ token: 'ghp_test', fetch: served.fetch, sleep: async () => {}, now: () => DESK_NOW });
  await syncGithub({ store, client, repository: 'acme/shop' });
  const violation = served.violation();
  if (violation) throw violation;
  const apiPrs: PrSpec[] = [
    { repository: 'acme/api', number: 3, title: 'Health route', author: 'claude[bot]', branch: 'claude/routes', base: apiBase, head: routes, updatedAt: '2026-11-05T09:05:00Z', requested: ['ada-h'] },
    { repository: 'acme/api', number: 4, title: 'Status codes', author: 'codex[bot]', branch: 'codex/status', base: apiBase, head: status, updatedAt: '2026-11-05T10:05:00Z' },
  ];
  for (const spec of apiPrs) await deliver('pull_request', pullRequestPayload(spec, 'opened'));
  const e = pullRequestPayload(apiPrs[0]!, 'submitted', 'pull_request_review');
  Object.assign(e.review, { id: 9004, user: { ...e.review.user, login: 'bob-b' }, state: 'approved', body: null, commit_id: routes, submitted_at: '2026-11-05T11:00:00Z' });
  await deliver('pull_request_review', e);

  // Marks: on main's versions (stale for the PRs that change them) and on branch heads.
  const mark = async (repo: string, handle: string, target: string, level: 'viewed' | 'reviewed' | 'explained', minutes: number, note?: string) => {
    const row = await getRepoByName(store, repo);
    const scoped = forRepo(store, row!.id);
    await recordMarks(scoped, { engineer: await getEngineer(store, handle), target, level, note, source: 'cli', now: t0 + minutes * 60_000 });
  };
  await mark('acme/shop', 'ada', 'src/cart.ts#Cart.total', 'reviewed', 1);
  await mark('acme/shop', 'ada', 'src/util.ts', 'reviewed', 2);
  await mark('acme/shop', 'bob', 'src/util.ts#round2', 'explained', 3, 'rounds half away from zero to cents for the invoice');
  await mark('acme/shop', 'carol', 'src/retry.ts#retry', 'viewed', 4);
  await mark('acme/shop', 'ada', 'pr:12', 'reviewed', 5);
  await mark('acme/shop', 'bob', 'src/money.ts#formatMoney', 'reviewed', 11);
  await mark('acme/shop', 'carol', 'pr:13', 'viewed', 6);
  await mark('acme/api', 'ada', 'src/handler.ts#handle', 'explained', 7, 'maps request paths to status codes');
  await mark('acme/api', 'bob', 'pr:4', 'reviewed', 8);
  await mark('acme/tools', 'carol', 'src/cli.ts#parse', 'explained', 9, 'drops node and the script path');
  await mark('acme/tools', 'ada', `${toolsBase.slice(0, 12)}`, 'reviewed', 10);

  return {
    db,
    repos: { shop, api, tools },
    store,
    cleanup() {
      store.close();
      for (const r of [shop, api, tools]) r.cleanup();
    },
  };
}

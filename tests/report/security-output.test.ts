/**
 * Output safety: one hostile repository (tests/helpers/hostile-repo.ts) through every output
 * format. Terminal text (tables, Markdown on stdout) holds no control characters; Markdown holds
 * no live HTML, comment or link outside code spans, and the checklist's `<!-- grasp:checklist -->`
 * marker exactly once, as its first line; HTML (CLI and pages) has no script, no event-handler
 * attribute, no javascript: URL, and shows the hostile text escaped; JSON round-trips the exact
 * text. The commands run in-process through the registered commander commands (one real process
 * checks the bytes of `grasp commits`).
 */
import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/cli/commands/index.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

import { getEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { isChecklistBody } from '../../src/github/checklist-comment.ts';
import { createApp } from '../../src/http/app.ts';
import { FuzzCounter } from '../helpers/fuzz-count.ts';
import { tempDir } from '../helpers/git-fixture.ts';
import { buildHostileRepo, HOSTILE, HOSTILE_AUTHOR, HOSTILE_ESC_PATH, HOSTILE_SUBJECT, HOSTILE_VIEW_PATH, type HostileRepo } from '../helpers/hostile-repo.ts';
import { sessionCookie } from '../helpers/login.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'grasp.mjs');
const MARKER = '<!-- grasp:checklist -->';
const counter = new FuzzCounter('security-output');
let fixture: HostileRepo;
let db: string;
let range: string;
const WEEK = '2026-W45'; // the fixture's commits are dated 2026-11-02 on

/** Runs grasp commands in this process and returns what they wrote to stdout. */
async function grasp(...args: string[]): Promise<string> {
  const program = new Command('grasp').exitOverride();
  await registerCommands(program, args);
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'grasp', ...args, '--db', db]);
  } finally {
    process.stdout.write = write;
  }
  counter.tried('outputs checked');
  return out;
}

beforeAll(async () => {
  fixture = buildHostileRepo();
  db = join(tempDir('grasp-hostile-'), 'grasp.db');
  range = `${fixture.base}..${fixture.head}`;
  await grasp('ingest', fixture.repo.dir, '--json');
  await grasp('engineer', 'add', 'ada', '--name', `Ada ${HOSTILE.img}`, '--email', 'ada@example.com');
  // A stale mark: its "what changed since" diff puts hostile code on the engineer page.
  const store = openRepoStore(db);
  try {
    const ada = await getEngineer(store, 'ada');
    await recordMarks(store, { engineer: ada, target: 'src/app.ts#start', level: 'reviewed', source: 'cli', now: Date.parse('2026-11-05T00:00:00Z') });
  } finally {
    store.close();
  }
  fixture.repo.write('src/app.ts', `export function start(port: number): number {\n  const s = '${HOSTILE.script}';\n  return port + s.length;\n}\n`);
  fixture.repo.commit({ message: `again ${HOSTILE.img}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n`, author: HOSTILE_AUTHOR });
  await grasp('ingest', fixture.repo.dir, '--json');
}, 120_000);
afterAll(() => {
  counter.save();
  fixture?.repo.cleanup();
});

// ---- checks --------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function expectTerminalSafe(text: string, what: string) {
  const hit = CONTROL.exec(text);
  expect(hit, `${what}: control character U+${hit?.[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, (hit?.index ?? 0) - 30), (hit?.index ?? 0) + 10))}`).toBeNull();
}

/** Markdown text outside code spans (CommonMark: a span closes at the next backtick run of the same length). */
function outsideCodeSpans(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    if (md[i] !== '`') {
      out += md[i++];
      continue;
    }
    let n = 0;
    while (md[i + n] === '`') n++;
    const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
    close.lastIndex = i + n;
    const m = close.exec(md);
    if (!m) {
      out += md.slice(i, i + n); // an unmatched run is literal text
      i += n;
      continue;
    }
    out += ' ';
    i = m.index + n;
  }
  return out;
}

function expectMarkdownSafe(md: string, what: string, opts: { checklist?: boolean } = {}) {
  expectTerminalSafe(md, what);
  const body = opts.checklist ? md.slice(md.indexOf('\n') + 1) : md;
  if (opts.checklist) {
    expect(md.split('\n')[0], what).toBe(MARKER);
    expect(md.split(MARKER).length - 1, `${what}: the marker appears more than once`).toBe(1);
    expect(isChecklistBody(md)).toBe(true);
  }
  const live = outsideCodeSpans(body);
  // A backslash-escaped bracket (`\](`) is text, not a link.
  for (const pattern of [/<script/i, /<img/i, /<!--/, /(?<!\\)\]\(javascript:/i, /^#+ Injected/m]) {
    expect(pattern.test(live), `${what}: ${pattern} outside code spans:\n${live.slice(0, 2000)}`).toBe(false);
  }
}

/** Every tag of an HTML document with its attributes (quotes respected). */
function tags(html: string): { name: string; attrs: [string, string][] }[] {
  const out: { name: string; attrs: [string, string][] }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const attrs = [...m[2]!.matchAll(/([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)].map((a): [string, string] => [a[1]!.toLowerCase(), (a[2] ?? '').replace(/^["']|["']$/g, '')]);
    out.push({ name: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

function expectHtmlSafe(html: string, what: string) {
  const all = tags(html);
  expect(all.length, what).toBeGreaterThan(5);
  for (const t of all) {
    expect(['script', 'img', 'iframe', 'object', 'embed', 'base'], `${what}: <${t.name}>`).not.toContain(t.name);
    for (const [name, value] of t.attrs) {
      expect(name.startsWith('on'), `${what}: <${t.name} ${name}=...>`).toBe(false);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)) expect(value.trim().toLowerCase().startsWith('javascript:'), `${what}: ${name}=${value}`).toBe(false);
    }
  }
  expect(html, `${what}: the hostile text must be shown, escaped`).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).not.toMatch(/<!-- grasp:checklist/);
}

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function expectJsonExact(text: string, exact: string[], what: string) {
  expect(text.includes('\u001b'), `${what}: raw ESC in JSON`).toBe(false);
  const found = new Set(strings(JSON.parse(text)).flatMap((s) => exact.filter((e) => s.includes(e))));
  expect([...found].sort(), what).toEqual([...exact].sort());
}

// ---- tests -----------------------------------------------------------------------------------

describe('hostile text in every output format', () => {
  it('grasp commits: the table has no control characters; --json keeps the exact author', async () => {
    const table = await grasp('commits');
    expectTerminalSafe(table, 'grasp commits');
    expect(table).toContain('Eve Red');
    expectJsonExact(await grasp('commits', '--json'), [HOSTILE_AUTHOR.name], 'grasp commits --json');
    // The real process too: the bytes that reach a terminal.
    const real = execFileSync('node', [BIN, 'commits', '--db', db], { encoding: 'utf8' });
    expectTerminalSafe(real, 'grasp commits (process)');
    expect(real).toBe(table);
  });

  it('grasp report: md, json and html', async () => {
    const md = await grasp('report', 'ada', '--format', 'md');
    expectMarkdownSafe(md, 'report md');
    expect(md).toContain('onerror=alert'); // shown, as text
    expectJsonExact(await grasp('report', 'ada', '--format', 'json'), [HOSTILE_ESC_PATH, HOSTILE_VIEW_PATH], 'report json');
    const html = await grasp('report', 'ada', '--format', 'html');
    expectTerminalSafe(html, 'report html');
    expectHtmlSafe(html, 'report html');
  });

  it('grasp checklist: the marker once, first; md escaped; json exact', async () => {
    const md = await grasp('checklist', range, '--format', 'md');
    expectMarkdownSafe(md, 'checklist md', { checklist: true });
    expect(md).toContain('alert(1)');
    expectJsonExact(await grasp('checklist', range, '--format', 'json'), [HOSTILE_SUBJECT, HOSTILE_VIEW_PATH, HOSTILE_ESC_PATH], 'checklist json');
    const asAda = await grasp('checklist', range, '--as', 'ada', '--format', 'md');
    expectMarkdownSafe(asAda, 'checklist md --as ada', { checklist: true });
  });

  it('grasp digest: md, json and html', async () => {
    expectMarkdownSafe(await grasp('digest', '--week', WEEK, '--format', 'md'), 'digest md');
    expectJsonExact(await grasp('digest', '--week', WEEK, '--format', 'json'), [HOSTILE_VIEW_PATH], 'digest json');
    const html = await grasp('digest', '--week', WEEK, '--format', 'html');
    expectTerminalSafe(html, 'digest html');
    expectHtmlSafe(html, 'digest html');
  });

  it('grasp hotspots: md and json', async () => {
    expectMarkdownSafe(await grasp('hotspots'), 'hotspots md');
    expectJsonExact(await grasp('hotspots', '--format', 'json'), [HOSTILE_ESC_PATH, HOSTILE_VIEW_PATH], 'hotspots json');
  });

  it('the pages, logged in and out', async () => {
    const store = openRepoStore(db);
    try {
      const token = (await createToken(store, { handle: 'ada' })).token;
      const app = createApp({ store, now: () => Date.parse('2026-11-06T12:00:00Z') });
      const pages = ['/', '/engineers/ada', `/checklist?base=${fixture.base}&head=${fixture.head}`, `/digest?week=${WEEK}`];
      const loggedIn = await sessionCookie(store, token, Date.parse('2026-11-06T12:00:00Z'));
      for (const cookie of [null, loggedIn]) {
        for (const path of pages) {
          const res = await app.request(`http://grasp.test${path}`, { headers: cookie ? { Cookie: cookie } : {} });
          expect(res.status, path).toBe(200);
          const html = await res.text();
          counter.tried('pages checked');
          expectHtmlSafe(html, `page ${path}${cookie ? ' (logged in)' : ''}`);
        }
      }
      const engineer = await (await app.request('http://grasp.test/engineers/ada')).text();
      expect(engineer).toContain('&lt;script&gt;alert(1)&lt;/script&gt;'); // the stale mark's diff, as text
    } finally {
      store.close();
    }
  });
});

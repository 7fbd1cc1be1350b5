/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The server-rendered pages (hono/jsx, no front-end build, no scripts): overview, an engineer's
 * report with mark buttons, review checklists with tick boxes, the weekly digest, and login.
 * Everything works with plain HTML forms; writes post to /marks, which records marks through the
 * same code as POST /api/marks (source 'web') as the logged-in engineer and redirects back.
 * Mounted with `app.route('/', pageRoutes(deps))`.
 */
import type { Context } from 'hono';
import type { AppDeps } from '../types.ts';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { buildChecklist, buildPullRequestChecklist } from '../../checklist/build.ts';
import { resolveRangePair } from '../../checklist/revisions.ts';
import { GraspError } from '../../core/errors.ts';
import { isRepoName } from '../../core/repo-target.ts';
import { MARK_LEVELS, MAX_TARGET_LENGTH } from '../../core/marks.ts';
import { addWeeks, formatWeek, parseWeek, weekBounds } from '../../core/weeks.ts';
import { cachedDigest } from '../../digest/cache.ts';
import { DigestView } from '../../digest/html.tsx';
import { GRASP_CSS } from '../../digest/style.ts';
import { handleSchema } from '../../db/repo/engineers.ts';
import { getPullRequestTitle } from '../../db/repo/github.ts';
import { recordMarks } from '../../db/repo/marks.ts';
import { refreshAfterMarks } from '../../ci/refresh.ts';
import { runAfterResponse } from '../after-response.ts';
import { authenticateToken } from '../../db/repo/tokens.ts';
import { endWebSession, openWebSession } from '../../db/repo/web-sessions.ts';
import { buildEngineerReport } from '../../report/engineer-report.ts';
import { authenticate, clearLoginCookies, setSessionCookie, SESSION_COOKIE, type AppEnv } from '../auth.ts';
import { describeZodError } from '../errors.ts';
import { MAX_NOTE_LENGTH } from '../types.ts';
import { ChecklistPage } from './checklist.tsx';
import { EngineerPage } from './engineer.tsx';
import { CSS_PATH, ErrorPage, Layout, loginHref } from './layout.tsx';
import { LoginPage, loadOverview, OverviewPage, repoQuery } from './overview.tsx';
import { expandFormTargets, MAX_FORM_TARGETS } from './form-targets.ts';
import { optionalRepoOf, repoStoreOf } from '../repo-scope.ts';
import { formCsrf, pageHeaders, pathOf, safeLocalPath, viewerOf, type PageDeps } from './session.ts';

const NOTICE_PARAM = 'marked';

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1).max(MAX_FORM_TARGETS)]).transform((v) => (Array.isArray(v) ? v : [v]));
const markForm = z.object({
  target: oneOrMany(z.string().min(1).max(MAX_TARGET_LENGTH)),
  level: z.enum(MARK_LEVELS),
  note: z.string().max(MAX_NOTE_LENGTH).optional(),
  back: z.string().optional(),
  repo: z.string().min(1).max(201).optional(),
});
const loginForm = z.object({ token: z.string().trim().min(1).max(200), next: z.string().optional() });
const rangeQuery = z.object({
  base: z.string().trim().max(200).optional(),
  head: z.string().trim().max(200).optional(),
  as: z.union([z.literal(''), handleSchema]).optional(),
});
const prParam = z.object({ n: z.coerce.number().int().min(1).max(999_999_999) });
const weekQuery = z.object({ week: z.string().max(16).optional(), repo: z.string().max(201).optional() });

/** The form body; a malformed one (e.g. broken multipart) is bad input, not a server error. */
async function formBody(c: Context, all = false): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody({ all });
  } catch (err) {
    if (err instanceof GraspError) throw err;
    throw new GraspError('invalid', 'the form body could not be read (malformed form data)');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new GraspError('invalid', describeZodError(r.error, where));
  return r.data;
}

/** The current path without our own notice parameter (where forms send the reader back). */
function backPath(c: Context): string {
  const url = new URL(c.req.url);
  url.searchParams.delete(NOTICE_PARAM);
  return `${url.pathname}${url.search}`;
}

/** The `repo` query parameter when it is a well-formed name, for forms to carry it on. */
const repoParam = (c: Context): string | undefined => {
  const name = c.req.query('repo');
  return name !== undefined && isRepoName(name) ? name : undefined;
};

function noticeOf(c: Context): string | null {
  const level = c.req.query(NOTICE_PARAM);
  return level && (MARK_LEVELS as readonly string[]).includes(level) ? `Saved: marked ${level}.` : null;
}

export function pageRoutes(deps: PageDeps & Partial<Pick<AppDeps, 'gates'>>): Hono<AppEnv> {
  const now = () => (deps.now ?? Date.now)();
  const pages = new Hono<AppEnv>();

  /** Renders a handler's page; expected failures become an HTML error page with their status. */
  const page = (render: (c: Context<AppEnv>) => Promise<Response>) => async (c: Context<AppEnv>) => {
    try {
      return await render(c);
    } catch (err) {
      const viewer = await viewerOf(c, deps).catch(() => null);
      if (err instanceof GraspError) {
        return c.html(<ErrorPage status={err.status} message={err.message} viewer={viewer} path={pathOf(c)} />, err.status as 400);
      }
      console.error(`grasp: ${c.req.method} ${c.req.path} failed:`, err);
      return c.html(<ErrorPage status={500} message="internal error" viewer={viewer} path={pathOf(c)} />, 500);
    }
  };
  const refused = async (c: Context) =>
    c.html(<ErrorPage status={403} message="This form must be sent from grasp's own pages (CSRF protection)." viewer={null} path={pathOf(c)} />, 403);
  const csrfForms = formCsrf(refused, deps);

  pages.get(CSS_PATH, (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(GRASP_CSS);
  });

  pages.get(
    '/',
    pageHeaders,
    page(async (c) => {
      const repo = await optionalRepoOf(deps.store, c);
      const [viewer, overview] = await Promise.all([viewerOf(c, deps), loadOverview(deps.store, now(), repo ?? undefined)]);
      return c.html(<OverviewPage overview={overview} viewer={viewer} path={pathOf(c)} />);
    }),
  );

  pages.get(
    '/login',
    pageHeaders,
    page(async (c) => {
      const next = safeLocalPath(c.req.query('next'), '');
      return c.html(<LoginPage next={next} error={null} viewer={await viewerOf(c, deps)} path={pathOf(c)} />);
    }),
  );

  pages.post(
    '/login',
    pageHeaders,
    csrfForms,
    page(async (c) => {
      const form = parse(loginForm, await formBody(c), 'login form');
      const next = safeLocalPath(form.next, '');
      const result = await authenticateToken(deps.store, form.token, now());
      const error = !result.ok
        ? `That token did not work (${result.reason}).`
        : result.principal.engineer === null
          ? "That is an admin token; log in with an engineer's own token (grasp token create <handle>)."
          : null;
      if (error !== null || !result.ok || result.principal.engineer === null) {
        return c.html(<LoginPage next={next} error={error} viewer={null} path="/login" />, 401);
      }
      const session = await openWebSession(deps.store, { tokenId: result.principal.tokenId, engineerId: result.principal.engineer.id }, now());
      setSessionCookie(c, session.cookie, deps, Math.max(0, session.expiresAt - Math.floor(now() / 1000)));
      return c.redirect(next || `/engineers/${encodeURIComponent(result.principal.engineer.handle)}`, 303);
    }),
  );

  pages.post('/logout', pageHeaders, csrfForms, async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await endWebSession(deps.store, cookie, now());
    clearLoginCookies(c);
    return c.redirect('/', 303);
  });

  pages.get(
    '/engineers/:handle',
    pageHeaders,
    page(async (c) => {
      const handle = parse(handleSchema, c.req.param('handle'), 'engineer handle');
      const repo = await optionalRepoOf(deps.store, c);
      const [viewer, report] = await Promise.all([viewerOf(c, deps), buildEngineerReport(repo?.store ?? deps.store, handle, { now: now() })]);
      return c.html(<EngineerPage report={report} repo={repo?.name ?? null} viewer={viewer} path={backPath(c)} notice={noticeOf(c)} />);
    }),
  );

  pages.post(
    '/marks',
    pageHeaders,
    csrfForms,
    page(async (c) => {
      const form = parse(markForm, await formBody(c, true), 'mark form');
      const back = safeLocalPath(form.back, '/');
      let principal;
      try {
        principal = (await authenticate(c, deps)).principal;
      } catch (err) {
        if (err instanceof GraspError && err.code === 'unauthorized') return c.redirect(loginHref(back), 303);
        throw err;
      }
      const engineer = principal.engineer;
      if (!engineer) throw new GraspError('forbidden', "marks are written with an engineer's own token; log in as an engineer");
      // Check every target first, so a form with one unknown target (or too many marks) writes nothing.
      const repoStore = await repoStoreOf(deps.store, c, form.repo);
      const expanded = await expandFormTargets(repoStore, form.target);
      const changed: string[] = [];
      for (const { target, items } of expanded) {
        const written = await recordMarks(repoStore, { engineer, target, items, level: form.level, note: form.note ?? null, source: 'web', now: now() });
        for (const m of written) if (!m.unchanged) changed.push(m.hash);
      }
      const { gates } = deps;
      if (gates && changed.length > 0) runAfterResponse(c, () => refreshAfterMarks(gates, repoStore, changed));
      const url = new URL(back, 'http://local');
      url.searchParams.set(NOTICE_PARAM, form.level);
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }),
  );

  pages.get(
    '/checklist',
    pageHeaders,
    page(async (c) => {
      const q = parse(rangeQuery, c.req.query(), 'checklist query');
      const viewer = await viewerOf(c, deps);
      const as = q.as || viewer?.handle || '';
      const form = { base: q.base ?? '', head: q.head ?? '', as, repo: repoParam(c) };
      if (!q.base || !q.head) {
        return c.html(<ChecklistPage title="Review checklist" checklist={null} form={form} viewer={viewer} path={backPath(c)} notice={noticeOf(c)} />);
      }
      // Revisions as git reads them (HEAD~2, main, sha^): git where the repository is at hand, else stored shas.
      const repoStore = await repoStoreOf(deps.store, c);
      const pair = await resolveRangePair(repoStore, { left: q.base, right: q.head, symmetric: false }, deps.revisions);
      const checklist = await buildChecklist(repoStore, { ...pair, as: as || null });
      const title = `Review checklist ${checklist.base.slice(0, 12)}..${checklist.head.slice(0, 12)}`;
      return c.html(<ChecklistPage title={title} checklist={checklist} form={form} viewer={viewer} path={backPath(c)} notice={noticeOf(c)} />);
    }),
  );

  pages.get(
    '/prs/:n',
    pageHeaders,
    page(async (c) => {
      const { n } = parse(prParam, { n: c.req.param('n') }, 'pull request number');
      const q = parse(rangeQuery.pick({ as: true }), c.req.query(), 'query');
      const viewer = await viewerOf(c, deps);
      const as = q.as || viewer?.handle || '';
      const repoStore = await repoStoreOf(deps.store, c);
      const checklist = await buildPullRequestChecklist(repoStore, { pr: n, as: as || null });
      const prTitle = await getPullRequestTitle(repoStore, n);
      const form = { base: checklist.base, head: checklist.head, as, repo: repoParam(c) };
      const title = prTitle ? `Pull request #${n}: ${prTitle}` : `Pull request #${n}`;
      return c.html(<ChecklistPage title={title} checklist={checklist} form={form} viewer={viewer} path={backPath(c)} notice={noticeOf(c)} />);
    }),
  );

  pages.get(
    '/digest',
    pageHeaders,
    page(async (c) => {
      const { week } = parse(weekQuery, c.req.query(), 'digest query');
      const repo = await optionalRepoOf(deps.store, c);
      const [viewer, digest] = await Promise.all([viewerOf(c, deps), cachedDigest(deps.store, { week: week || undefined, now: now(), repo: repo?.store })]);
      const next = formatWeek(addWeeks(parseWeek(digest.week), 1));
      const inRepo = repo ? `&repo=${encodeURIComponent(repo.name)}` : '';
      const link = (w: string) => `/digest?week=${encodeURIComponent(w)}${inRepo}`;
      return c.html(
        <Layout title={`Digest ${digest.week}`} viewer={viewer} path={pathOf(c)}>
          <form method="get" action="/digest" class="range">
            <label>
              Week <input name="week" value={digest.week} pattern="\d{4}-[Ww]\d{2}" maxlength={8} />
            </label>{' '}
            {repo ? <input type="hidden" name="repo" value={repo.name} /> : null}
            <button type="submit">Show</button> <a href={link(digest.previousWeek)}>← {digest.previousWeek}</a>{' '}
            {weekBounds(parseWeek(next)).start <= Math.floor(now() / 1000) ? <a href={link(next)}>{next} →</a> : null}
          </form>
          {repo ? (
            <p>
              Repository <strong data-repo-scope={repo.name}>{repo.name}</strong> only · <a href="/digest">the whole team</a>
            </p>
          ) : null}
          <DigestView
            digest={digest}
            links={{ week: link, engineer: (h) => `/engineers/${encodeURIComponent(h)}${repo ? repoQuery(repo.name) : ''}`, repo: (name) => `/digest${repoQuery(name)}` }}
          />
        </Layout>,
      );
    }),
  );

  return pages;
}

/**
 * `grasp checklist <base>..<head> | --pr N [--as <handle>] [--format md|json | --json]` (any git range: HEAD~2..HEAD, main...feature): the focused review
 * checklist of a commit range or pull request (reading order, risk flags, what's new for the
 * reviewer, effort, who to ask), from the database only.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { buildChecklist, buildPullRequestChecklist } from '../../checklist/build.ts';
import { formatChecklistMarkdown } from '../../checklist/markdown.ts';
import { resolveRangeText } from '../../checklist/revisions.ts';
import { gitResolverAt } from '../../git/revisions.ts';
import { GraspError } from '../../core/errors.ts';
import { setChecklistCommentId } from '../../db/repo/github.ts';
import { getRepoMeta } from '../../db/repo/repos.ts';
import type { RepoStore } from '../../db/store.ts';
import { postChecklistComment } from '../../github/checklist-comment.ts';
import { createGithubClient } from '../../github/client.ts';
import { addDbOption, addFormatOptions, addRepoOption, outputFormat, printJson, repoStoreFor, targetInRepo, terminalSafe, withStore } from '../context.ts';

/** Creates or updates the one `<!-- grasp:checklist -->` comment and remembers its id on the PR row. */
async function postToPullRequest(store: RepoStore, pr: number, body: string) {
  const token = process.env.GITHUB_TOKEN;
  if (!token) throw new GraspError('invalid', 'GITHUB_TOKEN is not set: --post needs a token that can comment on the repository');
  const repository = await getRepoMeta(store, 'github.repo');
  if (!repository) throw new GraspError('not-found', 'no GitHub repository synced yet: run `grasp sync github <owner>/<repo>` first');
  const [owner = '', repo = ''] = repository.split('/');
  const client = createGithubClient({ token, graphqlUrl: process.env.GITHUB_GRAPHQL_URL || undefined });
  const posted = await postChecklistComment({ client, owner, repo, number: pr, body });
  await setChecklistCommentId(store, pr, posted.commentId);
  return posted;
}

const optionsSchema = z.object({
  // Git revision syntax (HEAD~2..HEAD, main...feature, sha^..sha, X^!): resolved by git or the stored commits.
  range: z
    .string()
    .max(520)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\s\u0000-\u001f\u007f]+$/, 'range must be a revision range such as HEAD~2..HEAD, main...feature or sha^..sha')
    .optional(),
  pr: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
  as: z.string().min(1).max(64).optional(),
  callers: z.boolean().default(true),
});

export function register(program: Command): void {
  addFormatOptions(addRepoOption(addDbOption(
    program
      .command('checklist [range]')
      .description('review checklist of <base>..<head> (or --pr N): reading order, risk flags, effort, who to ask')
      .option('--pr <number>', 'a synced pull request instead of a range')
      .option('--as <handle>', 'the reviewer: collapse what they already reviewed, show what changed since their stale marks')
      .option('--no-callers', 'skip the lookup of callers outside the change')
      .option('--post', 'with --pr: create or update the one grasp comment on the pull request (GITHUB_TOKEN)'),
  )), ['md', 'json'], 'md').action(async (range: string | undefined, raw: { db?: string; repo?: string; pr?: string; as?: string; format?: string; json?: boolean; callers?: boolean; post?: boolean }) => {
    const format = outputFormat(raw, ['md', 'json'] as const, 'md');
    await withStore(raw, async (team) => {
      // `NAME:base..head` names the repository; a short range is of --repo / the current directory / the only one.
      const scoped = range !== undefined ? await targetInRepo(team, range, raw) : { store: await repoStoreFor(team, raw), local: undefined };
      const store = scoped.store;
      const parsed = optionsSchema.safeParse({ ...raw, range: scoped.local });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new GraspError('invalid', `${issue?.path.join('.') || 'options'}: ${issue?.message ?? 'invalid'}`);
      }
      const opts = parsed.data;
      if ((opts.range === undefined) === (opts.pr === undefined)) throw new GraspError('invalid', 'give either a range <base>..<head> or --pr N');
      const checklist =
        opts.pr !== undefined
          ? await buildPullRequestChecklist(store, { pr: opts.pr, as: opts.as, callers: opts.callers })
          : await buildChecklist(store, { ...(await resolveRangeText(store, opts.range!, gitResolverAt)), as: opts.as, callers: opts.callers });
      if (raw.post) {
        if (opts.pr === undefined) throw new GraspError('invalid', '--post needs --pr N: only pull requests have a comment thread');
        const posted = await postToPullRequest(store, opts.pr, formatChecklistMarkdown(checklist));
        process.stdout.write(terminalSafe(`${posted.action} the checklist comment on PR #${opts.pr}: ${posted.url}\n`));
        return;
      }
      if (format === 'json') printJson(checklist);
      else process.stdout.write(terminalSafe(formatChecklistMarkdown(checklist)));
    }, raw.post ? 'write' : 'read');
  });
}

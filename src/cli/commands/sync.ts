/**
 * `grasp sync github <owner>/<repo> [--since DATE]`: pull requests and reviews from GitHub
 * (token from GITHUB_TOKEN, GitHub Enterprise endpoint from GITHUB_GRAPHQL_URL).
 */
import type { Command } from 'commander';
import { GraspError } from '../../core/errors.ts';
import { createGithubClient } from '../../github/client.ts';
import { parseSince, syncGithub, type SyncReport } from '../../github/sync.ts';
import { addDbOption, printJson, terminalSafe, withStore } from '../context.ts';

export function register(program: Command): void {
  const sync = program.command('sync').description('bring in data from other systems');
  addDbOption(
    sync
      .command('github')
      .description('sync pull requests, reviews and review comments; credit reviews as marks; flag rubber stamps')
      .argument('<repository>', 'GitHub repository as <owner>/<repo>')
      .option('--since <date>', 'only pull requests updated since this date (default: where the last sync stopped)')
      .option('--json', 'print the sync report as JSON'),
  ).action(async (repository: string, opts: { db?: string; since?: string; json?: boolean }) => {
    const since = opts.since === undefined ? undefined : parseSince(opts.since);
    const token = process.env.GITHUB_TOKEN;
    if (!token) throw new GraspError('invalid', 'GITHUB_TOKEN is not set: create a token with read access to the repository and export it');
    const client = createGithubClient({ token, graphqlUrl: process.env.GITHUB_GRAPHQL_URL || undefined });
    await withStore(opts, async (store) => {
      const report = await syncGithub({
        store,
        client,
        repository,
        since,
        onProgress: opts.json ? undefined : (p) => process.stderr.write(`sync: page ${p.pages}, ${p.pullRequests} pull requests\n`),
      });
      if (opts.json) return printJson(report);
      process.stdout.write(terminalSafe(formatReport(report)));
    });
  });
}

export function formatReport(r: SyncReport): string {
  const lines = [
    `${r.repository}: ${r.pullRequests} pull requests, ${r.reviews} reviews, ${r.reviewComments} review comments` +
      ` (${r.pages} pages, ${r.requests} requests${r.since ? `, updated since ${r.since}` : ''})`,
    `credits: ${r.credits.marksAdded} new marks from ${r.credits.reviews} reviews on ${r.credits.pullRequests} pull requests`,
  ];
  if (r.commitsReclassified > 0) lines.push(`${r.commitsReclassified} commits reclassified with pull request facts`);
  for (const s of r.credits.rubberStamps) lines.push(`rubber stamp: PR #${s.number} approved by ${s.login ?? 'unknown'}: ${s.reason}`);
  if (r.credits.unknownLogins.length > 0) {
    lines.push(`not credited, no engineer linked to: ${r.credits.unknownLogins.join(', ')} (link with \`grasp engineer\`)`);
  }
  for (const n of r.credits.notes.slice(0, 20)) lines.push(`note: ${n}`);
  if (r.credits.notes.length > 20) lines.push(`... and ${r.credits.notes.length - 20} more notes`);
  for (const m of r.missing) lines.push(`missing: ${m}`);
  if (r.missing.length > 0) lines.push('the sync cursor did not move: the next sync fetches the same window again');
  const waited = r.waits.reduce((n, w) => n + w.ms, 0);
  if (waited > 0) lines.push(`waited ${Math.round(waited / 1000)} s for GitHub rate limits`);
  lines.push(
    'note: GitHub reveals "Viewed" file ticks only for the token\'s own user' + (r.viewer ? ` (${r.viewer})` : '') + '; other reviewers are credited from comments and approvals',
  );
  return `${lines.join('\n')}\n`;
}

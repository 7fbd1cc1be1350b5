/**
 * What `grasp --help` lists for each command, so the listing loads no command module (and with
 * them none of ts-morph, hono, octokit, drizzle or better-sqlite3). `grasp <command> --help` loads
 * the real command. tests/cli/startup.test.ts checks this list against the real registrations.
 */
export const SUMMARIES: Record<string, { term: string; description: string }> = {
  ingest: { term: 'ingest [options] [repo-path]', description: "read a repository's history (and analyze its TS/JS symbols) into the database" },
  repos: { term: 'repos [options]', description: 'list the repositories this database tracks: name, path, commits, head' },
  commits: { term: 'commits [options]', description: 'list ingested commits, newest first, with who wrote them and why grasp thinks so' },
  summary: { term: 'summary [options]', description: 'the state of the tracked code: agent share, coverage, debt as reading time, what to read first' },
  analyze: { term: 'analyze [options] [repo-path]', description: 'map every ingested TS/JS change to the functions, methods and types it touched' },
  symbols: { term: 'symbols [options] <file>', description: 'list the functions, methods and types of a file, with complexity, hash and last change' },
  changes: { term: 'changes [options] <sha>', description: 'show the symbols a commit added, modified, deleted or moved' },
  engineer: { term: 'engineer', description: 'manage engineers and the identities that resolve to them' },
  token: { term: 'token', description: 'API tokens for engineers (write their own marks) and admins (manage engineers)' },
  mark: {
    term: 'mark [options] <target>',
    description: 'mark a symbol (path#Name), file, commit, range (base..head) or pull request (pr:N) as viewed / reviewed / explained',
  },
  marks: { term: 'marks [options] <handle>', description: "an engineer's current marks (fresh or stale)" },
  explain: { term: 'explain', description: "search the team's explanations: the notes of explained marks" },
  serve: { term: 'serve [options]', description: 'serve the grasp API over HTTP until interrupted' },
  sync: { term: 'sync', description: 'bring in data from other systems' },
  report: { term: 'report [options] <handle>', description: "what agents wrote in an engineer's area that they don't understand yet, ranked" },
  hotspots: { term: 'hotspots [options]', description: 'ranked symbols, files and directories: change frequency x complexity x agent share x (1 - coverage)' },
  islands: { term: 'islands [options]', description: 'knowledge islands: symbols and directories understood by one engineer, or only by stale marks' },
  digest: { term: 'digest [options]', description: 'weekly team digest: agent share, debt added and paid, coverage trend, hotspots, islands' },
  checklist: { term: 'checklist [options] [range]', description: 'review checklist of <base>..<head> (or --pr N): reading order, risk flags, effort, who to ask' },
  queue: { term: 'queue [options]', description: 'the review queue: every open PR (or unmerged branch) ranked by urgency, with collisions and what is new for you' },
  agents: { term: 'agents [options]', description: 'agent scorecard: lines, share, churn, reverts, coverage, rubber stamps, flags, and a suggested review depth' },
  ci: { term: 'ci', description: 'run inside CI: checklist, merge gate, comment and check run' },
  push: { term: 'push [options]', description: 'upload ingested history, provenance and symbol analysis to a grasp service, in resumable batches' },
};

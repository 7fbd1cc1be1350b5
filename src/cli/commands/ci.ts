/**
 * `grasp ci github [--db FILE] [--server URL] [--policy FILE] [--dry-run] [--enforce]`: what the
 * GitHub Action runs. Exit 0 (gate passed, or failed without enforcement), 1 (enforced gate
 * failed), 2 (usage or environment error: one line, and the job summary says what to fix).
 */
import { CommanderError, Option, type Command } from 'commander';
import { GraspError } from '../../core/errors.ts';
import { writeOutputs, writeSummary } from '../../ci/outputs.ts';
import { CiProblem } from '../../ci/problem.ts';
import { problemSummary } from '../../ci/report.ts';
import { prepare, runCi, type CiOptions } from '../../ci/run.ts';
import { addDbOption, terminalSafe, withStore } from '../context.ts';

interface RawOptions {
  db?: string;
  server?: string;
  serverToken?: string;
  policy?: string;
  dryRun?: boolean;
  enforce?: boolean;
  token?: string;
}

export function register(program: Command): void {
  const ci = program.command('ci').description('run inside CI: checklist, merge gate, comment and check run');
  const github = addDbOption(
    ci
      .command('github')
      .description('GitHub Actions: ingest the checkout, write the checklist to the job summary, evaluate the merge gate, post the comment and check run')
      .option('--server <url>', 'push to this grasp service and use its engineers and marks')
      .addOption(new Option('--server-token <token>', 'an admin token of the service').env('GRASP_PUSH_TOKEN'))
      .option('--policy <file>', 'gate policy (default: .github/grasp.yml in the workspace, else the default policy)')
      .option('--dry-run', 'write the summary and outputs only: no comment, no check run')
      .option('--enforce', 'exit 1 when the gate fails, whatever the policy says')
      .option('--token <token>', 'GitHub token (default $GITHUB_TOKEN)'),
  );
  // Usage errors are exit 2 here (the Action's contract), not commander's 1; help stays 0.
  github.exitOverride((err) => {
    throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
  });
  github.action(async (raw: RawOptions) => {
    const log = (line: string) => process.stderr.write(`${terminalSafe(line)}\n`);
    try {
      const prepared = prepare(process.env, { policy: raw.policy, dryRun: !!raw.dryRun, token: raw.token });
      const opts: CiOptions = { policy: raw.policy, dryRun: !!raw.dryRun, enforce: !!raw.enforce, token: raw.token, log };
      if (raw.server) {
        if (!raw.serverToken) throw new CiProblem('invalid', 'GRASP_PUSH_TOKEN is not set: --server needs an admin token of the service (or --server-token)', 'store the service admin token as a secret and pass it as the action\'s server-token input');
        const { teamService } = await import('../../ci/remote.ts');
        opts.server = teamService(raw.server, raw.serverToken);
      }
      const result = await withStore(raw, (store) => runCi(store, prepared, opts));
      if (result.exitCode !== 0) process.exitCode = result.exitCode;
    } catch (err) {
      if (err instanceof GraspError) {
        // Best effort: the job summary says what went wrong and what to change.
        try {
          const summary = process.env.GITHUB_STEP_SUMMARY?.trim();
          if (summary) writeSummary(summary, problemSummary(err.message, err instanceof CiProblem ? err.fix : null));
          writeOutputs(process.env.GITHUB_OUTPUT?.trim() || null, { gate: 'error' });
        } catch {
          // the one-line error below is what matters
        }
      }
      throw err;
    }
  });
}

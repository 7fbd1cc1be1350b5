/** `grasp serve`: the JSON API (and, later, the pages) on a local port. */
import type { Command } from 'commander';
import { GraspError } from '../../core/errors.ts';
import { defaultDbPath, openNodeStore } from '../../db/node/open.ts';
import { serveUntilSignal } from '../../node.ts';
import { addDbOption } from '../context.ts';
import { parsePublicUrl } from '../../http/site.ts';

export function register(program: Command): void {
  addDbOption(
    program
      .command('serve')
      .description('serve the grasp API over HTTP until interrupted')
      .option('--port <port>', 'port to listen on (0 = any free port)', '8787')
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option('--public-url <url>', 'the URL browsers use (e.g. https://grasp.example.com behind a proxy); default GRASP_PUBLIC_URL')
      .option('--trust-proxy', 'believe X-Forwarded-Proto/Host/For (only behind a proxy that sets them)'),
  ).action(async (opts: { db?: string; port: string; host: string; publicUrl?: string; trustProxy?: boolean }) => {
    if (!/^\d{1,5}$/.test(opts.port) || Number(opts.port) > 65535) throw new GraspError('invalid', `--port must be 0-65535, got "${opts.port}"`);
    const publicText = opts.publicUrl ?? (process.env.GRASP_PUBLIC_URL || undefined);
    const publicUrl = publicText === undefined ? undefined : parsePublicUrl(publicText);
    const store = openNodeStore(defaultDbPath(opts.db));
    try {
      await serveUntilSignal(
        {
          store,
          port: Number(opts.port),
          host: opts.host,
          webhookSecret: process.env.GRASP_WEBHOOK_SECRET || undefined,
          publicUrl,
          trustProxy: opts.trustProxy === true,
          // With a checks-writing token the service updates PRs' check runs after marks and reviews.
          githubToken: process.env.GRASP_GITHUB_TOKEN || undefined,
          githubGraphqlUrl: process.env.GRASP_GITHUB_GRAPHQL_URL || undefined,
        },
        (line) => process.stdout.write(`${line}\n`),
      );
    } catch (err) {
      store.close();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        throw new GraspError('invalid', `cannot listen on ${opts.host}:${opts.port} (${code})`, { cause: err });
      }
      throw err;
    }
  });
}

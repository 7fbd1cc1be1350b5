/**
 * Node entry: serves the hono app with @hono/node-server on a better-sqlite3 store.
 * (Workers have their own entry; nothing here may be imported by code the Worker bundles.)
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Store } from './db/store.ts';
import { unmergedBranches } from './git/branches.ts';
import { gitResolverAt } from './git/revisions.ts';
import { loadPolicy } from './ci/policy-file.ts';
import { createApp, type AppDeps } from './http/app.ts';

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Stops accepting connections, lets in-flight requests finish and closes idle keep-alive
   * sockets; connections still open after `graceMs` are cut.
   */
  close(graceMs?: number): Promise<void>;
}

export interface ServeOptions extends Omit<AppDeps, 'store'> {
  store: Store;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export function startServer(opts: ServeOptions): Promise<RunningServer> {
  const { port = 8787, host = '127.0.0.1', ...deps } = opts;
  // On Node the repository is at hand: the queue may show unmerged branches when no PR is open.
  const app = createApp({ branches: unmergedBranches, revisions: gitResolverAt, policy: (root) => loadPolicy({ workspace: root }), ...deps });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      const actual = (server.address() as AddressInfo).port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actual}`,
        port: actual,
        close: (graceMs = 10_000) =>
          new Promise<void>((done, fail) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            force.unref();
            server.close((err) => {
              clearTimeout(force);
              if (err) fail(err);
              else done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}

/**
 * Serves until SIGINT or SIGTERM, then shuts down gracefully: stop listening, finish requests,
 * close the store. Resolves once shut down.
 */
export async function serveUntilSignal(opts: ServeOptions, log: (line: string) => void = console.log): Promise<void> {
  const running = await startServer(opts);
  log(`grasp listening on ${running.url}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log(`grasp: ${signal}, shutting down`);
      // Requests still running after 10 s are cut so a stuck client cannot hold the shutdown.
      running.close(10_000).finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  opts.store.close();
}

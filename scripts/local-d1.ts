/**
 * Local D1 plumbing shared by tests and benches: the SQL migrations applied through a D1 binding
 * (what `wrangler d1 migrations apply` does), and the compatibility date from wrangler.toml.
 */
import type { D1Database } from '@cloudflare/workers-types';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './bundle-worker.ts';

/** compatibility_date from wrangler.toml, so local runs match the deployed Worker. */
export function compatibilityDate(): string {
  const toml = readFileSync(join(PROJECT_ROOT, 'wrangler.toml'), 'utf8');
  const m = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml);
  if (!m) throw new Error('wrangler.toml has no compatibility_date');
  return m[1]!;
}

/** The SQL statements of every migration in order (drizzle-kit's `--> statement-breakpoint` splits them). */
export function migrationStatements(): string[] {
  const dir = join(PROJECT_ROOT, 'migrations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('--> statement-breakpoint'))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Applies the migrations to an empty D1 database in one batch (atomic, like wrangler's apply). */
export async function applyMigrations(d1: D1Database): Promise<number> {
  const statements = migrationStatements();
  await d1.batch(statements.map((s) => d1.prepare(s)));
  return statements.length;
}

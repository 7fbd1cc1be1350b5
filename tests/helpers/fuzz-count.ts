/**
 * Counts for docs/reliability.md: how many inputs each fuzz target tried, how many kill points a
 * crash test survived. Each test file saves and prints its figures
 * (test-artifacts/reliability/<suite>.json, git-ignored), so the counts in the docs come from a
 * real run rather than from the numRuns settings.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// One file per suite: test files run in parallel processes, so a shared file could lose a write.
const DIR = join(import.meta.dirname, '..', '..', 'test-artifacts', 'reliability');

type Figures = Record<string, Record<string, number>>;

/** A named counter per target; `figures()` hands back a snapshot. */
export class FuzzCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly suite: string) {}

  /** Counts one input tried against `target`; returns the running count. */
  tried(target: string, n = 1): number {
    const next = (this.counts.get(target) ?? 0) + n;
    this.counts.set(target, next);
    return next;
  }

  get(target: string): number {
    return this.counts.get(target) ?? 0;
  }

  figures(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort((a, b) => a[0].localeCompare(b[0])));
  }

  /** Prints the counts and writes them to this suite's figures file (replacing its previous run). */
  save(): void {
    const figures = this.figures();
    console.log(`[reliability] ${this.suite}: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, `${this.suite}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  }
}

/** Reads every suite's saved figures (for writing the docs). */
export function savedFigures(): Figures {
  const out: Figures = {};
  let files: string[] = [];
  try {
    files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return out;
  }
  for (const f of files.sort()) out[f.slice(0, -5)] = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, number>;
  return out;
}

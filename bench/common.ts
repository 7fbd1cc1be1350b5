/** Bench plumbing: the repository to measure on, paired timing, medians. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The real repository benches run on: $GRASP_BENCH_REPO, else a local mirror of honojs/hono
 * (2,790 commits) when present, else this repository itself (few commits: figures then mean little).
 */
export function benchRepo(): string {
  const candidates = [process.env.GRASP_BENCH_REPO, '/work/.mirror/honojs+hono/repo'].filter((x): x is string => !!x);
  for (const c of candidates) if (existsSync(c)) return c;
  return resolve('.');
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `a` and `b` alternately `runs` times (A B A B ...) and returns both timings and the per-pair ratio a/b. */
export async function paired(runs: number, a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await a();
    ta.push(performance.now() - t);
    t = performance.now();
    await b();
    tb.push(performance.now() - t);
  }
  const ratios = ta.map((x, i) => x / tb[i]!);
  return { a: median(ta), b: median(tb), ratio: median(ratios), runs };
}

export async function timeMedian(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

export const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

/**
 * Seeded random kill points for the kill -9 tests: each trial kills either after a random time
 * or once the database holds a random number of rows (a random position in the batches). The
 * seed comes from GRASP_KILL_SEED when set (to replay a failure), else is drawn, and is printed
 * with the trials, so every failure can be replayed exactly.
 */

// One seeded generator for the benches and the tests (mulberry32).
import { seededRandom } from '../../bench/random.ts';
export { seededRandom };

export type KillPoint = { by: 'time'; afterMs: number } | { by: 'position'; atLeast: number };

export interface KillPlan {
  seed: number;
  points: KillPoint[];
}

/**
 * `trials` kill points, alternating time and position so both kinds are always tried:
 * times in [minMs, maxMs), positions in [1, maxPosition).
 */
export function killPlan(name: string, trials: number, range: { minMs: number; maxMs: number; maxPosition: number }): KillPlan {
  const fromEnv = Number(process.env.GRASP_KILL_SEED);
  const seed = Number.isInteger(fromEnv) && process.env.GRASP_KILL_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const points: KillPoint[] = [];
  for (let i = 0; i < trials; i++) {
    points.push(
      i % 2 === 0
        ? { by: 'time', afterMs: Math.floor(range.minMs + random() * (range.maxMs - range.minMs)) }
        : { by: 'position', atLeast: 1 + Math.floor(random() * (range.maxPosition - 1)) },
    );
  }
  console.log(`[kill-points] ${name}: seed ${seed} (replay with GRASP_KILL_SEED=${seed}): ${JSON.stringify(points)}`);
  return { seed, points };
}

/** The seeded generator alone (same seed rule and printout), for tests that draw their own points. */
export function killRandom(name: string): { seed: number; random: () => number } {
  const fromEnv = Number(process.env.GRASP_KILL_SEED);
  const seed = Number.isInteger(fromEnv) && process.env.GRASP_KILL_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
  console.log(`[kill-points] ${name}: seed ${seed} (replay with GRASP_KILL_SEED=${seed})`);
  return { seed, random: seededRandom(seed) };
}

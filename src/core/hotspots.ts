/**
 * Hotspots, the pure part: code that keeps changing, is complex, was written by agents and is not
 * understood. Score of a symbol = decayed change frequency x complexity x agent share x (1 - coverage),
 * rolled up by file and by directory. Formulas with worked examples: docs/model.md.
 */
export const HOTSPOT_HALF_LIFE_DAYS = 30;
/** Changes older than this are ignored altogether (their decayed weight is below 1/64 anyway). */
export const HOTSPOT_WINDOW_DAYS = 180;

const DAY = 86_400;

export interface ChangeBucket {
  /** Epoch seconds of the change (or of the day bucket holding `count` changes). */
  at: number;
  count: number;
}

export interface DecayOptions {
  /** Epoch seconds. */
  now: number;
  halfLifeDays?: number;
  windowDays?: number;
}

/**
 * Sum over changes inside the window of 0.5^(age / half-life): a change today counts 1, one a
 * half-life ago 0.5. Changes dated after `now` (clock skew) count as today's.
 */
export function decayedFrequency(changes: readonly ChangeBucket[], opts: DecayOptions): number {
  const halfLife = (opts.halfLifeDays ?? HOTSPOT_HALF_LIFE_DAYS) * DAY;
  const window = (opts.windowDays ?? HOTSPOT_WINDOW_DAYS) * DAY;
  let sum = 0;
  for (const c of changes) {
    const age = Math.max(0, opts.now - c.at);
    if (age > window || c.count <= 0) continue;
    sum += c.count * Math.pow(0.5, age / halfLife);
  }
  return sum;
}

/** The facts about a symbol's current version that hotspots and islands both rank by. */
export interface SymbolFacts {
  id: number;
  file: string;
  name: string;
  kind: string;
  startLine: number;
  endLine: number;
  complexity: number;
  agentLines: number;
  humanLines: number;
}

export interface HotspotSymbolInput extends SymbolFacts {
  /** Someone understands the current version (fresh mark >= reviewed, or sole human author). */
  understood: boolean;
  changes: readonly ChangeBucket[];
}

export interface HotspotComponents {
  /** Decayed change frequency. */
  frequency: number;
  complexity: number;
  /** Agent lines / all lines of the current version. */
  agentShare: number;
  /** 1 when someone understands the current version, else 0 (fractional for roll-ups). */
  coverage: number;
}

export interface SymbolHotspot extends HotspotComponents {
  id: number;
  file: string;
  name: string;
  kind: string;
  startLine: number;
  endLine: number;
  score: number;
}

export interface AreaHotspot extends HotspotComponents {
  /** A file path, or a directory ('.' for the repository root). */
  path: string;
  score: number;
  symbols: number;
}

export function agentShare(s: Pick<HotspotSymbolInput, 'agentLines' | 'humanLines'>): number {
  const total = Math.max(0, s.agentLines) + Math.max(0, s.humanLines);
  return total === 0 ? 0 : Math.max(0, s.agentLines) / total;
}

export function hotspotScore(c: HotspotComponents): number {
  return c.frequency * Math.max(1, c.complexity) * c.agentShare * (1 - c.coverage);
}

export function scoreSymbol(s: HotspotSymbolInput, opts: DecayOptions): SymbolHotspot {
  const frequency = decayedFrequency(s.changes, opts);
  const complexity = Math.max(1, s.complexity);
  const share = agentShare(s);
  const coverage = s.understood ? 1 : 0;
  return {
    id: s.id,
    file: s.file,
    name: s.name,
    kind: s.kind,
    startLine: s.startLine,
    endLine: s.endLine,
    frequency,
    complexity,
    agentShare: share,
    coverage,
    score: hotspotScore({ frequency, complexity, agentShare: share, coverage }),
  };
}

/** The directory holding a file: 'src/a/b.ts' -> 'src/a', 'b.ts' -> '.'. */
export function directoryOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/**
 * Roll-up of symbol hotspots into areas (files, or directories = the files directly inside).
 * The area's score is the sum of its symbols' scores (the product of summed components would
 * credit one busy symbol's churn to its idle neighbours). Components are summaries:
 * frequency = sum, complexity = max, agentShare = agent lines / all lines,
 * coverage = understood share of agent lines (lines-weighted).
 */
export function rollUp(
  scored: readonly SymbolHotspot[],
  inputs: ReadonlyMap<number, Pick<HotspotSymbolInput, 'agentLines' | 'humanLines'>>,
  areaOf: (file: string) => string,
): AreaHotspot[] {
  const acc = new Map<string, { score: number; frequency: number; complexity: number; agent: number; lines: number; coveredAgent: number; symbols: number }>();
  for (const s of scored) {
    const path = areaOf(s.file);
    const a = acc.get(path) ?? { score: 0, frequency: 0, complexity: 1, agent: 0, lines: 0, coveredAgent: 0, symbols: 0 };
    const input = inputs.get(s.id);
    const agent = Math.max(0, input?.agentLines ?? 0);
    a.score += s.score;
    a.frequency += s.frequency;
    a.complexity = Math.max(a.complexity, s.complexity);
    a.agent += agent;
    a.lines += agent + Math.max(0, input?.humanLines ?? 0);
    a.coveredAgent += agent * s.coverage;
    a.symbols += 1;
    acc.set(path, a);
  }
  return [...acc].map(([path, a]) => ({
    path,
    score: a.score,
    frequency: a.frequency,
    complexity: a.complexity,
    agentShare: a.lines === 0 ? 0 : a.agent / a.lines,
    coverage: a.agent === 0 ? 1 : a.coveredAgent / a.agent,
    symbols: a.symbols,
  }));
}

export interface HotspotRanking {
  symbols: SymbolHotspot[];
  files: AreaHotspot[];
  directories: AreaHotspot[];
}

const byScore = <T extends { score: number }>(key: (x: T) => string) => (a: T, b: T) => b.score - a.score || key(a).localeCompare(key(b));

/**
 * Scores every symbol and rolls up; keeps only areas and symbols with a positive score, best first
 * (ties by path), `limit` per list.
 */
export function rankHotspots(inputs: readonly HotspotSymbolInput[], opts: DecayOptions & { limit?: number }): HotspotRanking {
  const limit = opts.limit ?? Infinity;
  const scored = inputs.map((s) => scoreSymbol(s, opts));
  const byId = new Map(inputs.map((s) => [s.id, s]));
  const positive = <T extends { score: number }>(list: T[]) => list.filter((x) => x.score > 0);
  return {
    symbols: positive(scored)
      .sort(byScore((s) => `${s.file}#${s.name}`))
      .slice(0, limit),
    files: positive(rollUp(scored, byId, (f) => f))
      .sort(byScore((a) => a.path))
      .slice(0, limit),
    directories: positive(rollUp(scored, byId, directoryOf))
      .sort(byScore((a) => a.path))
      .slice(0, limit),
  };
}

/** Hotspots and knowledge islands, assembled from the database for the CLI, the API and the digest. */
import { deriveUnderstanding } from '../core/debt.ts';
import { HOTSPOT_HALF_LIFE_DAYS, HOTSPOT_WINDOW_DAYS, rankHotspots, type AreaHotspot, type ChangeBucket, type HotspotComponents, type HotspotSymbolInput } from '../core/hotspots.ts';
import { findIslands } from '../core/islands.ts';
import { deriveMarkStates } from '../core/marks.ts';
import { loadAliveSymbols, loadChangeBuckets, loadEngineerDirectory, loadHotspotSymbols, loadMarkRecords, loadSymbolDetails } from '../db/repo/report.ts';
import type { Store } from '../db/store.ts';
import { isoDate, round } from './options.ts';

export const DEFAULT_HOTSPOT_LIMIT = 20;
const DAY = 86_400;

export interface HotspotsOptions {
  scope?: string;
  /** Epoch milliseconds. */
  now?: number;
  limit?: number;
}

type Components = { [K in keyof HotspotComponents]: number };

export interface HotspotsReport {
  generatedAt: string;
  scope: string | null;
  halfLifeDays: number;
  windowDays: number;
  symbols: ({ symbol: string; kind: string; file: string; startLine: number; endLine: number; score: number } & Components)[];
  files: ({ file: string; score: number; symbols: number } & Components)[];
  directories: ({ directory: string; score: number; symbols: number } & Components)[];
}

const components = (c: HotspotComponents): Components => ({
  frequency: round(c.frequency, 3),
  complexity: c.complexity,
  agentShare: round(c.agentShare, 4),
  coverage: round(c.coverage, 4),
});

export async function buildHotspotsReport(store: Store, opts: HotspotsOptions = {}): Promise<HotspotsReport> {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const limit = opts.limit ?? DEFAULT_HOTSPOT_LIMIT;
  // Only agent-written code can score or count towards coverage, so authorship never matters here
  // and the fresh understanding of agent-written symbols is all that is read.
  const [current, buckets] = await Promise.all([
    loadHotspotSymbols(store, opts.scope),
    loadChangeBuckets(store, now - HOTSPOT_WINDOW_DAYS * DAY, undefined, opts.scope),
  ]);
  // Where a symbol is only matters for the few shown: filled in after ranking.
  const none: ChangeBucket[] = [];
  const inputs: HotspotSymbolInput[] = current.map((s) => Object.assign(s, { changes: buckets.get(s.id) ?? none }));
  const ranking = rankHotspots(inputs, { now, limit });
  const details = await loadSymbolDetails(store, ranking.symbols.map((s) => s.id));
  const area = (a: AreaHotspot) => ({ score: round(a.score, 3), symbols: a.symbols, ...components(a) });
  return {
    generatedAt: isoDate(now),
    scope: opts.scope ?? null,
    halfLifeDays: HOTSPOT_HALF_LIFE_DAYS,
    windowDays: HOTSPOT_WINDOW_DAYS,
    symbols: ranking.symbols.map((s) => ({
      symbol: s.name,
      kind: details.get(s.id)?.kind ?? '',
      file: s.file,
      startLine: details.get(s.id)?.startLine ?? 0,
      endLine: details.get(s.id)?.endLine ?? 0,
      score: round(s.score, 3),
      ...components(s),
    })),
    files: ranking.files.map((a) => ({ file: a.path, ...area(a) })),
    directories: ranking.directories.map((a) => ({ directory: a.path, ...area(a) })),
  };
}

export interface IslandsReport {
  generatedAt: string;
  scope: string | null;
  symbols: { symbol: string; kind: string; file: string; startLine: number; endLine: number; engineer: string; byAuthorship: boolean; weight: number }[];
  staleOnly: { symbol: string; kind: string; file: string; startLine: number; endLine: number; staleBy: string[]; weight: number }[];
  directories: { directory: string; engineer: string; understoodSymbols: number; symbols: number; weight: number }[];
  staleOnlyDirectories: { directory: string; staleBy: string[]; symbols: number; weight: number }[];
}

/** Islands need everyone's stale marks too, so this reads the whole mark history once. */
export async function buildIslandsReport(store: Store, opts: HotspotsOptions = {}): Promise<IslandsReport> {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const [current, people, all] = await Promise.all([loadAliveSymbols(store, { scope: opts.scope }), loadEngineerDirectory(store), loadMarkRecords(store)]);
  const states = deriveMarkStates(all, current).map((s) => ({ engineerId: s.engineerId, symbolId: s.symbol.id, level: s.mark.level, stale: s.stale }));
  const found = findIslands(current, deriveUnderstanding(current, states, people.emailOwner), { limit: opts.limit ?? DEFAULT_HOTSPOT_LIMIT });
  const handle = (id: number) => people.byId.get(id)?.handle ?? `#${id}`;
  const where = (s: { name: string; kind: string; file: string; startLine: number; endLine: number }) => ({
    symbol: s.name,
    kind: s.kind,
    file: s.file,
    startLine: s.startLine,
    endLine: s.endLine,
  });
  return {
    generatedAt: isoDate(now),
    scope: opts.scope ?? null,
    symbols: found.symbols.map((s) => ({ ...where(s), engineer: handle(s.engineerId), byAuthorship: s.byAuthorship, weight: round(s.weight) })),
    staleOnly: found.staleOnly.map((s) => ({ ...where(s), staleBy: s.staleEngineerIds.map(handle), weight: round(s.weight) })),
    directories: found.directories.map((d) => ({ directory: d.directory, engineer: handle(d.engineerId), understoodSymbols: d.understoodSymbols, symbols: d.symbols, weight: round(d.weight) })),
    staleOnlyDirectories: found.staleOnlyDirectories.map((d) => ({ directory: d.directory, staleBy: d.staleEngineerIds.map(handle), symbols: d.symbols, weight: round(d.weight) })),
  };
}

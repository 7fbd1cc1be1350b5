/**
 * Stale-understanding alerts, pure: when a change makes someone's `reviewed` or `explained` mark
 * stale, that person is told who changed which symbol, in which commit, and whether an agent did.
 * Only understanding levels alert (a stale `viewed` mark lost nothing the team counted on).
 */
import type { MarkLevel } from './marks.ts';

export interface HeldMark {
  engineerId: number;
  handle: string;
  symbolId: number;
  level: MarkLevel;
  /** The content hash the mark was written on. */
  hash: string;
  markedAt: number;
}

export interface SymbolChange {
  symbolId: number;
  repo: string;
  file: string;
  name: string;
  /** The symbol's hash after the change; null when the change deleted it. */
  hash: string | null;
  sha: string;
  at: number;
  author: string;
  agent: string | null;
}

export interface StaleAlertItem {
  repo: string;
  file: string;
  name: string;
  symbolId: number;
  level: MarkLevel;
  markedAt: number;
  sha: string;
  at: number;
  author: string;
  agent: string | null;
  deleted: boolean;
}

export interface StaleAlert {
  engineerId: number;
  handle: string;
  items: StaleAlertItem[];
}

/**
 * Marks made stale by `changes`: a held understanding mark on a symbol whose new hash differs
 * from the marked one. The latest change per symbol is reported; one alert per engineer.
 */
export function staleAlerts(marks: readonly HeldMark[], changes: readonly SymbolChange[]): StaleAlert[] {
  const latest = new Map<number, SymbolChange>();
  for (const c of changes) {
    const prev = latest.get(c.symbolId);
    if (!prev || c.at >= prev.at) latest.set(c.symbolId, c);
  }
  const byEngineer = new Map<number, StaleAlert>();
  for (const m of marks) {
    if (m.level !== 'reviewed' && m.level !== 'explained') continue;
    const c = latest.get(m.symbolId);
    if (!c || c.hash === m.hash || c.at < m.markedAt) continue;
    const alert = byEngineer.get(m.engineerId) ?? { engineerId: m.engineerId, handle: m.handle, items: [] };
    alert.items.push({
      repo: c.repo,
      file: c.file,
      name: c.name,
      symbolId: c.symbolId,
      level: m.level,
      markedAt: m.markedAt,
      sha: c.sha,
      at: c.at,
      author: c.author,
      agent: c.agent,
      deleted: c.hash === null,
    });
    byEngineer.set(m.engineerId, alert);
  }
  const out = [...byEngineer.values()].sort((a, b) => a.handle.localeCompare(b.handle));
  for (const a of out) a.items.sort((x, y) => x.repo.localeCompare(y.repo) || x.file.localeCompare(y.file) || x.name.localeCompare(y.name));
  return out;
}

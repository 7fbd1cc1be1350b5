/**
 * The digest's "understanding that went stale": for each engineer, the `reviewed` / `explained`
 * marks that a commit of the week made stale, with that commit and its agent (the alerts model,
 * src/desk/alerts.ts). Marks renewed since are not stale any more, so they are left out.
 */
import { loadTeamAlerts } from '../desk/alerts.ts';
import { listEngineers } from '../db/repo/engineers.ts';
import type { Store } from '../db/store.ts';
import type { StaleUnderstanding } from './types.ts';

/** Symbols listed per engineer; `count` still says how many went stale. */
export const TOP_STALE_PER_ENGINEER = 20;

export async function staleUnderstanding(store: Store, week: { start: number; end: number }): Promise<StaleUnderstanding[]> {
  const from = new Date(week.start * 1000).toISOString();
  const to = new Date(week.end * 1000).toISOString();
  const out: StaleUnderstanding[] = [];
  for (const alerts of await loadTeamAlerts(store, await listEngineers(store))) {
    const items = alerts.items.filter((i) => i.commit !== null && i.commit.at >= from && i.commit.at < to);
    if (items.length === 0) continue;
    out.push({
      engineer: alerts.engineer,
      count: items.length,
      items: items.slice(0, TOP_STALE_PER_ENGINEER).map((i) => ({ symbol: i.symbol, file: i.file, level: i.level, markedAt: i.markedAt, commit: i.commit! })),
    });
  }
  return out.sort((a, b) => b.count - a.count || a.engineer.localeCompare(b.engineer));
}

/**
 * Stale-understanding alerts: when a change makes someone's `reviewed` or `explained` mark stale,
 * that person is told which symbols, which commit and agent changed them, with the diff since. Read
 * from the marks (GET /api/engineers/:handle/alerts, the report and digest), and after an ingest
 * sent for that run's changes to GRASP_ALERT_WEBHOOK_URL, one signed POST per engineer.
 */
import { deliver, type DeliveryOptions, type DeliveryResult } from '../alerts/webhook.ts';
import { commitsLeavingVersions, versionKey, type ChangingCommit } from '../db/repo/alerts.ts';
import { listEngineers } from '../db/repo/engineers.ts';
import { staleMarksForEngineer, type StaleMark } from '../db/repo/marks.ts';
import { currentMarksOfEngineers } from '../db/repo/team-marks.ts';
import type { Store } from '../db/store.ts';

export const ALERT_EVENT = 'understanding.stale';

export interface AlertItem {
  target: string;
  file: string;
  symbol: string;
  level: string;
  markedAt: string;
  /** The commit that changed the symbol away from the marked version (null when history doesn't say). */
  commit: { sha: string; at: string; author: string; kind: string; agent: string | null } | null;
  diff: string | null;
}

export interface EngineerAlerts {
  engineer: string;
  items: AlertItem[];
}

const iso = (sec: number) => new Date(sec * 1000).toISOString();

/**
 * The engineer's understanding marks that went stale; with `sinceSeq`, only those made stale by
 * commits after it. `diffs: false` leaves every item's diff null (the digest lists no diffs).
 */
export async function loadEngineerAlerts(store: Store, engineer: { id: number; handle: string }, opts: { sinceSeq?: number; diffs?: boolean } = {}): Promise<EngineerAlerts> {
  const stale = (await staleMarksForEngineer(store, engineer, { texts: opts.diffs !== false })).filter(isAlerting);
  const commits = await commitsLeavingVersions(store, stale.map((m) => ({ symbolId: m.symbolId!, hash: m.hash })));
  return { engineer: engineer.handle, items: alertItems(stale, commits, opts.sinceSeq) };
}

/**
 * Every listed engineer's alerts without diffs (what the digest lists), as `loadEngineerAlerts`
 * with `diffs: false` gives them one by one, from one derivation of everyone's marks and one
 * lookup of the commits that left the marked versions.
 */
export async function loadTeamAlerts(store: Store, team: readonly { id: number; handle: string }[]): Promise<EngineerAlerts[]> {
  const current = await currentMarksOfEngineers(store, team);
  const staleOf = new Map(team.map((e) => [e.id, (current.get(e.id) ?? []).filter((m) => m.stale && isAlerting(m)).map((m) => ({ ...m, diff: null }))]));
  const pairs = [...staleOf.values()].flatMap((list) => list.map((m) => ({ symbolId: m.symbolId!, hash: m.hash })));
  const commits = await commitsLeavingVersions(store, pairs);
  return team.map((e) => ({ engineer: e.handle, items: alertItems(staleOf.get(e.id)!, commits) }));
}

/** Only understanding (reviewed / explained) of a symbol alerts; file-granularity marks name no symbol. */
const isAlerting = (m: { level: string; symbolId: number | null }): boolean => (m.level === 'reviewed' || m.level === 'explained') && m.symbolId !== null;

type StaleForAlert = Pick<StaleMark, 'symbolId' | 'hash' | 'target' | 'file' | 'symbol' | 'level' | 'at' | 'diff'>;

function alertItems(stale: readonly StaleForAlert[], commits: ReadonlyMap<string, ChangingCommit>, sinceSeq?: number): AlertItem[] {
  const items: AlertItem[] = [];
  for (const m of stale) {
    const c: ChangingCommit | undefined = commits.get(versionKey(m.symbolId!, m.hash));
    if (sinceSeq !== undefined && (!c || c.seq <= sinceSeq)) continue;
    items.push({
      target: m.target,
      file: m.file,
      symbol: m.symbol,
      level: m.level,
      markedAt: m.at,
      commit: c ? { sha: c.sha, at: iso(c.at), author: c.author, kind: c.kind, agent: c.agent } : null,
      diff: m.diff,
    });
  }
  items.sort((a, b) => (b.commit?.at ?? '').localeCompare(a.commit?.at ?? '') || a.target.localeCompare(b.target));
  return items;
}

/** Every engineer with at least one mark made stale by the commits after `sinceSeq`. */
export async function loadRunAlerts(store: Store, sinceSeq: number): Promise<EngineerAlerts[]> {
  const out: EngineerAlerts[] = [];
  for (const e of await listEngineers(store)) {
    const alerts = await loadEngineerAlerts(store, { id: e.id, handle: e.handle }, { sinceSeq });
    if (alerts.items.length > 0) out.push(alerts);
  }
  return out;
}

/** One POST per engineer, all at once; failures are reported, never thrown. */
export async function sendAlerts(alerts: readonly EngineerAlerts[], opts: DeliveryOptions): Promise<DeliveryResult[]> {
  return Promise.all(alerts.map((a) => deliver(ALERT_EVENT, { event: ALERT_EVENT, ...a }, opts)));
}

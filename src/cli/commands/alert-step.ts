/**
 * After an ingest: tell each engineer whose reviewed/explained marks the new commits made stale,
 * through GRASP_ALERT_WEBHOOK_URL (signed with GRASP_ALERT_WEBHOOK_SECRET). Runs only once the
 * ingest and analysis have committed and printed their summary, so a slow or failing receiver can
 * delay the process's exit (bounded: 4 attempts, 10 s each) but never the ingest itself.
 */
import type { RepoStore } from '../../db/store.ts';
import { loadRunAlerts, sendAlerts } from '../../desk/alerts.ts';

export interface AlertConfig {
  url: string;
  secret: string | null;
}

export function alertConfig(env: NodeJS.ProcessEnv = process.env): AlertConfig | null {
  const url = env.GRASP_ALERT_WEBHOOK_URL?.trim();
  return url ? { url, secret: env.GRASP_ALERT_WEBHOOK_SECRET?.trim() || null } : null;
}

export interface PendingAlerts {
  send(): Promise<{ engineers: number; delivered: number; failed: string[] }>;
}

/**
 * `collect()` (with the store still open) reads the alerts for the history after seq `before` (where
 * the ingest started), and the returned `send()` delivers them once the store is closed.
 */
export function startAlertStep(config: AlertConfig | null) {
  return {
    async collect(store: RepoStore, before: number): Promise<PendingAlerts | null> {
      if (!config) return null;
      const alerts = await loadRunAlerts(store, before);
      return {
        async send() {
          const results = await sendAlerts(alerts, { url: config.url, secret: config.secret });
          const failed = alerts.flatMap((a, i) => (results[i]!.ok ? [] : [`${a.engineer}: ${results[i]!.error ?? 'failed'}`]));
          return { engineers: alerts.length, delivered: results.filter((r) => r.ok).length, failed };
        },
      };
    },
  };
}

/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** `/`: team coverage and debt now, the top hotspots, and where to go next; plus the login page. */
import { coverage, deriveUnderstanding, totalDebt } from '../../core/debt.ts';
import { loadAliveSymbols, loadEngineerDirectory, loadFreshMarkStates } from '../../db/repo/report.ts';
import type { Store } from '../../db/store.ts';
import { buildHotspotsReport, type HotspotsReport } from '../../report/hotspots-report.ts';
import { HotspotTable } from '../../digest/html.tsx';
import { pct } from './components.tsx';
import { Layout } from './layout.tsx';
import type { Viewer } from './session.ts';

export interface Overview {
  teamCoverage: number;
  debt: number;
  symbols: number;
  engineers: { handle: string; name: string }[];
  hotspots: HotspotsReport['symbols'];
}

export async function loadOverview(store: Store, now: number): Promise<Overview> {
  const [current, people] = await Promise.all([loadAliveSymbols(store), loadEngineerDirectory(store)]);
  const understanding = deriveUnderstanding(current, await loadFreshMarkStates(store, current), people.emailOwner);
  const hotspots = await buildHotspotsReport(store, { now, limit: 10 });
  return {
    teamCoverage: coverage(current, understanding).ratio,
    debt: Math.round(totalDebt(current, understanding) * 10) / 10,
    symbols: current.length,
    engineers: [...people.byId.values()].sort((a, b) => a.handle.localeCompare(b.handle)),
    hotspots: hotspots.symbols,
  };
}

export function OverviewPage(props: { overview: Overview; viewer: Viewer | null; path: string }) {
  const o = props.overview;
  return (
    <Layout title="Overview" viewer={props.viewer} path={props.path}>
      <h1>Comprehension debt</h1>
      <div class="cards">
        <div class="card">
          <div class="value" data-metric="team-coverage">
            {pct(o.teamCoverage)}
          </div>
          <div class="label">team coverage of agent-written code</div>
        </div>
        <div class="card">
          <div class="value" data-metric="debt">
            {o.debt}
          </div>
          <div class="label">debt (complexity-weighted agent lines nobody understands)</div>
        </div>
        <div class="card">
          <div class="value">{o.symbols}</div>
          <div class="label">symbols at head</div>
        </div>
      </div>
      <p>
        <a href="/digest">This week's digest</a> · <a href="/checklist">Review checklist</a> · <a href="/api/islands">Knowledge islands (JSON)</a>
      </p>
      <h2>Top hotspots</h2>
      <HotspotTable rows={o.hotspots} empty="No hotspots: nothing agent-written and un-understood changed recently." />
      <h2>Engineers</h2>
      {o.engineers.length === 0 ? (
        <p class="muted">
          No engineers yet: <code>grasp engineer add &lt;handle&gt; --email &lt;address&gt;</code>.
        </p>
      ) : (
        <ul class="engineers">
          {o.engineers.map((e) => (
            <li>
              <a href={`/engineers/${encodeURIComponent(e.handle)}`}>{e.handle}</a> <span class="muted">{e.name}</span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function LoginPage(props: { next: string; error: string | null; viewer: Viewer | null; path: string }) {
  return (
    <Layout title="Log in" viewer={props.viewer} path={props.path}>
      <h1>Log in</h1>
      <p>
        Paste the token <code>grasp token create &lt;your handle&gt;</code> gave you. It is kept in an HttpOnly cookie for this site only, so
        you paste it once.
      </p>
      {props.error ? (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/login">
        <input type="hidden" name="next" value={props.next} />
        <label>
          Token <input type="password" name="token" required autocomplete="off" maxlength={200} size={60} />
        </label>{' '}
        <button type="submit">Log in</button>
      </form>
    </Layout>
  );
}

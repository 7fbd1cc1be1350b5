/**
 * Entire CLI commit trailers: `Entire-Checkpoint: a3b2c4d5e6f7` links the commit to a checkpoint
 * (kept on `entire/checkpoints/v1`, sharded `<id[:2]>/<id[2:]>/`, or `refs/entire/checkpoints/…`),
 * `Entire-Attribution: 73% agent (146/200 lines)` gives whole-commit counts (no line ranges), and
 * `Entire-Agent: Claude Code` names the agent when present.
 */
import { canonicalAgentName, type AgentCatalog } from '../agents.ts';
import type { AttributionRecord } from '../line-attribution.ts';
import { parseTrailers } from '../provenance.ts';

export interface EntireTrailers {
  checkpoint: string | null;
  record: AttributionRecord | null;
  warning: string | null;
}

const ATTRIBUTION = /^(\d{1,3}(?:\.\d+)?)%\s+agent\s*\((\d+)\s*\/\s*(\d+)\s+lines?\)\s*$/i;
const CHECKPOINT = /^[0-9a-f]{12}$|^[0-9A-HJKMNP-TV-Z]{26}$/i;

export function parseEntireTrailers(message: string, catalog?: AgentCatalog): EntireTrailers {
  let checkpoint: string | null = null;
  let attribution: string | null = null;
  let agent: string | null = null;
  for (const t of parseTrailers(message)) {
    const key = t.key.toLowerCase();
    if (key === 'entire-checkpoint') checkpoint = t.value.trim();
    else if (key === 'entire-attribution') attribution = t.value.trim();
    else if (key === 'entire-agent' && t.value.trim()) agent = canonicalAgentName(t.value, catalog);
  }
  if (checkpoint !== null && !CHECKPOINT.test(checkpoint)) {
    return { checkpoint: null, record: null, warning: `Entire-Checkpoint ${JSON.stringify(checkpoint.slice(0, 40))} is not a checkpoint id` };
  }
  if (attribution === null) return { checkpoint, record: null, warning: null };
  const m = ATTRIBUTION.exec(attribution);
  const agentLines = m ? Number(m[2]) : NaN;
  const totalLines = m ? Number(m[3]) : NaN;
  if (!m || agentLines > totalLines) {
    return { checkpoint, record: null, warning: `Entire-Attribution ${JSON.stringify(attribution.slice(0, 60))} is not "N% agent (A/T lines)"` };
  }
  const agents = agentLines > 0 ? [agent ?? 'unknown'] : [];
  return { checkpoint, record: { source: 'entire', spans: [], complete: false, totals: { agentLines, totalLines }, agents }, warning: null };
}

/** The agent a checkpoint's metadata.json names (`agent` or `agent_type`), if any; never throws. */
export function entireCheckpointAgent(metadataJson: string, catalog?: AgentCatalog): string | null {
  try {
    const meta = JSON.parse(metadataJson) as Record<string, unknown>;
    const name = [meta.agent, meta.agent_type, meta.agentType].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    return name ? canonicalAgentName(name, catalog) : null;
  } catch {
    return null;
  }
}

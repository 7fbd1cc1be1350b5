/**
 * Agent Trace 0.1 records (cursor/agent-trace): JSON trace records, one per line in
 * `.agent-trace/traces.jsonl` or one per note. `files[].conversations[].ranges[]` with a
 * `contributor` (`type` human | ai | mixed | unknown, `model_id`) on the conversation, overridable per range.
 * ai and mixed (agent output a human touched) are agent lines; unknown is untracked.
 */
import { z } from 'zod';
import { canonicalAgentName, type AgentCatalog } from '../agents.ts';
import type { AttributionRecord, LineAuthor, LineSpan } from '../line-attribution.ts';

const contributor = z.looseObject({ type: z.enum(['human', 'ai', 'mixed', 'unknown']), model_id: z.string().max(250).optional() });
const traceSchema = z.looseObject({
  version: z.string(),
  id: z.string().optional(),
  vcs: z.looseObject({ type: z.string(), revision: z.string() }).optional(),
  tool: z.looseObject({ name: z.string() }).optional(),
  files: z.array(
    z.looseObject({
      path: z.string().min(1),
      conversations: z.array(
        z.looseObject({
          contributor: contributor.optional(),
          ranges: z.array(z.looseObject({ start_line: z.number().int().min(1), end_line: z.number().int().min(1), contributor: contributor.optional() })),
        }),
      ),
    }),
  ),
});

const AUTHOR: Record<string, LineAuthor> = { ai: 'agent', mixed: 'agent', human: 'human', unknown: 'untracked' };

export interface AgentTraceParse {
  record: AttributionRecord | null;
  /** `vcs.revision` of each trace record read, for callers that match records to commits. */
  revisions: string[];
  warnings: string[];
}

/** Parses one record or many (JSON lines); a malformed line is a warning and is skipped. */
export function parseAgentTrace(text: string, catalog?: AgentCatalog): AgentTraceParse {
  const spans: LineSpan[] = [];
  const warnings: string[] = [];
  const revisions: string[] = [];
  let complete = false;
  const lines = text.trim().startsWith('{') && !text.trim().includes('\n{') ? [text] : text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      warnings.push(`agent trace line ${i + 1}: not JSON`);
      return;
    }
    const p = traceSchema.safeParse(raw);
    if (!p.success) {
      warnings.push(`agent trace line ${i + 1}: ${p.error.issues[0]?.path.join('.') || 'record'} ${p.error.issues[0]?.message ?? 'malformed'}`);
      return;
    }
    if (!/^0\.|^1\./.test(p.data.version)) warnings.push(`agent trace line ${i + 1}: version ${JSON.stringify(p.data.version.slice(0, 20))} read as 0.1`);
    if (p.data.vcs?.revision) revisions.push(p.data.vcs.revision);
    const tool = p.data.tool?.name;
    p.data.files.forEach((file) =>
      file.conversations.forEach((conv, c) => {
        for (const r of conv.ranges) {
          if (r.end_line < r.start_line) {
            warnings.push(`agent trace line ${i + 1}: range ${r.start_line}-${r.end_line} ends before it starts`);
            continue;
          }
          const who = r.contributor ?? conv.contributor ?? { type: 'unknown' as const };
          const author = AUTHOR[who.type]!;
          if (author === 'human') complete = true;
          const agent = author === 'agent' ? agentOf(tool, who.model_id, catalog) : null;
          spans.push({ path: file.path, ranges: [[r.start_line, r.end_line]], author, agent, model: author === 'agent' ? (who.model_id ?? null) : null, key: `${p.data.id ?? `trace-${i + 1}`}:${c}` });
        }
      }),
    );
  });
  const record = spans.length ? { source: 'agent-trace' as const, spans, complete, totals: null, agents: [] } : null;
  return { record, revisions, warnings };
}

/** The tool that wrote the trace names the agent; else the model's provider (`anthropic/…` → claude). */
function agentOf(tool: string | undefined, model: string | undefined, catalog?: AgentCatalog): string {
  if (tool && tool.trim() && tool !== 'unknown') return canonicalAgentName(tool, catalog);
  const provider = model?.split('/')[0]?.toLowerCase();
  const byProvider: Record<string, string> = { anthropic: 'claude', openai: 'codex', google: 'gemini' };
  return (provider && byProvider[provider]) ?? 'unknown';
}

/**
 * whogitit records: JSON notes (`refs/notes/whogitit`, older installs `refs/notes/ai-blame`) with one
 * source per line — AI, AIModified, Human, Original, Unknown — and the commit trailers `AI-Session`,
 * `AI-Model`, `AI-Lines: N` or `N/M`.
 */
import { z } from 'zod';
import { canonicalAgentName, type AgentCatalog } from '../agents.ts';
import { GraspError } from '../errors.ts';
import type { AttributionRecord, LineAuthor, LineSpan } from '../line-attribution.ts';
import { parseTrailers } from '../provenance.ts';
import { normalizeRanges, type Range } from '../ranges.ts';

const lineSchema = z.looseObject({
  line_number: z.number().int().min(1),
  source: z.looseObject({ type: z.string() }),
});
const noteSchema = z.looseObject({
  version: z.number().int(),
  session: z.looseObject({ session_id: z.string().optional(), model: z.looseObject({ id: z.string().optional() }).optional() }).optional(),
  files: z.array(z.looseObject({ path: z.string().min(1), lines: z.array(lineSchema).default([]) })),
});

const AUTHOR: Record<string, LineAuthor | null> = { ai: 'agent', aimodified: 'agent', ai_modified: 'agent', human: 'human', unknown: 'untracked', original: null };

/** whogitit captures Claude Code sessions: its lines are Claude's. Throws GraspError when malformed. */
export function whogititRecord(text: string, catalog?: AgentCatalog): AttributionRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GraspError('invalid', `invalid whogitit note: not JSON (${(e as Error).message})`);
  }
  const parsed = noteSchema.safeParse(raw);
  if (!parsed.success) throw new GraspError('invalid', `invalid whogitit note: ${parsed.error.issues[0]?.path.join('.') || 'note'} ${parsed.error.issues[0]?.message ?? ''}`.trim());
  const model = parsed.data.session?.model?.id ?? null;
  const agent = canonicalAgentName('claude-code', catalog);
  const key = parsed.data.session?.session_id ?? 'whogitit';
  const spans: LineSpan[] = [];
  for (const file of parsed.data.files) {
    const by = new Map<LineAuthor, Range[]>();
    for (const line of file.lines) {
      const author = AUTHOR[line.source.type.toLowerCase()];
      if (author === undefined) throw new GraspError('invalid', `invalid whogitit note: unknown line source ${JSON.stringify(line.source.type.slice(0, 40))}`);
      if (author) by.set(author, [...(by.get(author) ?? []), [line.line_number, line.line_number]]);
    }
    for (const [author, ranges] of by) {
      spans.push({ path: file.path, ranges: normalizeRanges(ranges), author, agent: author === 'agent' ? agent : null, model: author === 'agent' ? model : null, key: `${key}:${author}` });
    }
  }
  return { source: 'whogitit', spans, complete: true, totals: null, agents: [] };
}

/** `AI-Lines: 12` or `AI-Lines: 12/40` with `AI-Session`/`AI-Model`: whole-commit counts; null when absent or malformed. */
export function whogititTrailers(message: string, catalog?: AgentCatalog): { record: AttributionRecord | null; warning: string | null } {
  const trailers = parseTrailers(message);
  const get = (k: string) => trailers.find((t) => t.key.toLowerCase() === k)?.value.trim() ?? null;
  const lines = get('ai-lines');
  if (lines === null) return { record: null, warning: null };
  const m = /^(\d+)(?:\s*\/\s*(\d+))?$/.exec(lines);
  if (!m || (m[2] !== undefined && Number(m[1]) > Number(m[2]))) return { record: null, warning: `AI-Lines ${JSON.stringify(lines.slice(0, 40))} is not "N" or "N/M"` };
  const agentLines = Number(m[1]);
  const tool = get('ai-agent') ?? get('ai-tool');
  const agent = tool ? canonicalAgentName(tool.split('/')[0]!, catalog) : get('ai-session') || get('ai-model') ? canonicalAgentName('claude-code', catalog) : 'unknown';
  const totals = m[2] !== undefined ? { agentLines, totalLines: Number(m[2]) } : null;
  return { record: { source: 'whogitit', spans: [], complete: false, totals, agents: agentLines > 0 ? [agent] : [] }, warning: null };
}

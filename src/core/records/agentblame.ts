/**
 * agentblame notes (`refs/notes/agentblame`), JSON. Version 1: `attributions[]` of
 * `{path, start_line, end_line, category, provider, model, confidence}`. Version 3: `sessions` by id
 * (`agent`, `model`) and `files` by path with `aiRanges` (`sessionId`, `startLine`, `endLine`) and
 * `humanRanges`. Ranges below MIN_CONFIDENCE are untracked, not agent lines.
 */
import { z } from 'zod';
import { canonicalAgentName, type AgentCatalog } from '../agents.ts';
import { GraspError } from '../errors.ts';
import type { AttributionRecord, LineSpan } from '../line-attribution.ts';

/** A match agentblame itself rates below even odds is not evidence of authorship. */
export const MIN_CONFIDENCE = 0.5;

const v1 = z.looseObject({
  version: z.literal(1),
  attributions: z.array(
    z.looseObject({
      path: z.string().min(1),
      start_line: z.number().int().min(1),
      end_line: z.number().int().min(1),
      provider: z.string().optional(),
      model: z.string().nullable().optional(),
      confidence: z.number().min(0).max(1).optional(),
    }),
  ),
});
const range = z.looseObject({ startLine: z.number().int().min(1), endLine: z.number().int().min(1) });
const v3 = z.looseObject({
  version: z.literal(3),
  sessions: z.record(z.string(), z.looseObject({ agent: z.string(), model: z.string().nullable().optional() })).default({}),
  files: z.record(z.string(), z.looseObject({ aiRanges: z.array(range.extend({ sessionId: z.string() })).default([]), humanRanges: z.array(range).default([]) })),
});

function fail(message: string): never {
  throw new GraspError('invalid', `invalid agentblame note: ${message}`);
}

export function agentblameRecord(text: string, catalog?: AgentCatalog): AttributionRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not JSON (${(e as Error).message})`);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  const spans: LineSpan[] = [];
  const ordered = (s: number, e: number) => (e >= s ? ([s, e] as const) : fail(`range ${s}-${e} ends before it starts`));
  if (version === 1) {
    const p = v1.safeParse(raw);
    if (!p.success) fail(`${p.error.issues[0]?.path.join('.')} ${p.error.issues[0]?.message}`);
    p.data.attributions.forEach((a, i) => {
      const sure = (a.confidence ?? 1) >= MIN_CONFIDENCE;
      const agent = sure ? canonicalAgentName(a.provider?.trim() || 'unknown', catalog) : null;
      spans.push({ path: a.path, ranges: [ordered(a.start_line, a.end_line)], author: sure ? 'agent' : 'untracked', agent, model: sure ? (a.model ?? null) : null, key: `agentblame:${i}` });
    });
    return { source: 'agentblame', spans, complete: false, totals: null, agents: [] };
  }
  if (version === 3) {
    const p = v3.safeParse(raw);
    if (!p.success) fail(`${p.error.issues[0]?.path.join('.')} ${p.error.issues[0]?.message}`);
    for (const [path, f] of Object.entries(p.data.files)) {
      for (const r of f.aiRanges) {
        const session = Object.hasOwn(p.data.sessions, r.sessionId) ? p.data.sessions[r.sessionId] : undefined;
        const agent = canonicalAgentName(session?.agent ?? 'unknown', catalog);
        spans.push({ path, ranges: [ordered(r.startLine, r.endLine)], author: 'agent', agent, model: session?.model ?? null, key: r.sessionId });
      }
      if (f.humanRanges.length) spans.push({ path, ranges: f.humanRanges.map((r) => ordered(r.startLine, r.endLine)), author: 'human', agent: null, model: null, key: 'agentblame:human' });
    }
    return { source: 'agentblame', spans, complete: true, totals: null, agents: [] };
  }
  fail(`unsupported version ${JSON.stringify(version)}`);
}

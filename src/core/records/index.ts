/**
 * Every authorship record of one commit, read into the shared line model in precedence order:
 * git-ai, Agent Trace, agentblame, whogitit notes, then trailer-only counts (whogitit, Entire).
 * A malformed record is a warning; the others still count.
 */
import type { AgentCatalog } from '../agents.ts';
import type { AttributionRecord } from '../line-attribution.ts';
import { agentblameRecord } from './agentblame.ts';
import { parseAgentTrace } from './agent-trace.ts';
import { parseEntireTrailers } from './entire.ts';
import { gitAiRecord } from './git-ai.ts';
import { whogititRecord, whogititTrailers } from './whogitit.ts';

/** Notes refs grasp reads, with the record each holds. */
export const RECORD_NOTES_REFS = {
  'refs/notes/ai': 'git-ai',
  'refs/notes/agent-trace': 'agent-trace',
  'refs/notes/agentblame': 'agentblame',
  'refs/notes/whogitit': 'whogitit',
  'refs/notes/ai-blame': 'whogitit',
} as const;
export type RecordNotesRef = keyof typeof RECORD_NOTES_REFS;

export interface CommitRecordsInput {
  message: string;
  /** Note text by notes ref, for this commit. */
  notes: Partial<Record<RecordNotesRef, string>>;
  /** Agent Trace records added to `.agent-trace/traces.jsonl` by this commit. */
  treeTraces?: string;
}

export interface CommitRecords {
  records: AttributionRecord[];
  entireCheckpoint: string | null;
  warnings: { code: string; message: string }[];
}

export function readCommitRecords(input: CommitRecordsInput, catalog?: AgentCatalog): CommitRecords {
  const records: AttributionRecord[] = [];
  const warnings: CommitRecords['warnings'] = [];
  const attempt = (code: string, what: string, read: () => AttributionRecord | null) => {
    try {
      const r = read();
      if (r) records.push(r);
    } catch (err) {
      warnings.push({ code, message: `${what} skipped: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  const n = input.notes;
  if (n['refs/notes/ai'] !== undefined) attempt('malformed-git-ai-note', 'git-ai note', () => gitAiRecord(n['refs/notes/ai']!, catalog));
  for (const [text, where] of [[n['refs/notes/agent-trace'], 'agent trace note'], [input.treeTraces, '.agent-trace/traces.jsonl']] as const) {
    if (text === undefined) continue;
    const t = parseAgentTrace(text, catalog);
    if (t.record) records.push(t.record);
    warnings.push(...t.warnings.map((w) => ({ code: 'malformed-agent-trace', message: `${where}: ${w}` })));
  }
  if (n['refs/notes/agentblame'] !== undefined) attempt('malformed-agentblame-note', 'agentblame note', () => agentblameRecord(n['refs/notes/agentblame']!, catalog));
  for (const ref of ['refs/notes/whogitit', 'refs/notes/ai-blame'] as const) {
    if (n[ref] !== undefined) attempt('malformed-whogitit-note', `whogitit note (${ref})`, () => whogititRecord(n[ref]!, catalog));
  }
  const who = whogititTrailers(input.message, catalog);
  if (who.record) records.push(who.record);
  if (who.warning) warnings.push({ code: 'malformed-ai-lines', message: who.warning });
  const entire = parseEntireTrailers(input.message, catalog);
  if (entire.record) records.push(entire.record);
  if (entire.warning) warnings.push({ code: 'malformed-entire-trailer', message: entire.warning });
  return { records, entireCheckpoint: entire.checkpoint, warnings };
}

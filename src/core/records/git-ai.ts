/** git-ai `authorship/3.x` notes (refs/notes/ai) in the shared line model. */
import { parseGitAiNote } from '../git-ai-note.ts';
import type { AgentCatalog } from '../agents.ts';
import type { AttributionRecord } from '../line-attribution.ts';

/**
 * Agent sessions are agent lines, `h_` keys (git-ai 1.4+ `humans`) are human lines. A note that
 * declares humans is complete: its other added lines are untracked. Legacy notes (prompts only)
 * leave unattested lines to the commit's provenance. Throws GraspError on a malformed note.
 */
export function gitAiRecord(text: string, catalog?: AgentCatalog): AttributionRecord {
  const note = parseGitAiNote(text, catalog);
  const spans = note.files.flatMap((f) =>
    f.sessions.map(({ session, ranges }) => {
      const info = note.sessions[session];
      const agent = info?.agent ?? null;
      return { path: f.path, ranges, author: agent ? ('agent' as const) : ('human' as const), agent, model: info?.model ?? null, key: session };
    }),
  );
  const complete = Object.values(note.sessions).some((s) => s.agent === null);
  return { source: 'git-ai', spans, complete, totals: null, agents: [] };
}

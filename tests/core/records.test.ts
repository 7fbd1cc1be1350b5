/**
 * Every authorship record reduced to the one line model, with exact line counts. Fixtures follow the
 * published formats: git-ai Standard v3.0.0 as git-ai 1.4+ writes it, Entire CLI trailers, whogitit
 * notes (version 3), agentblame notes (versions 1 and 3), Agent Trace 0.1 records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAttribution, subtractRanges, type AttributionRecord } from '../../src/core/line-attribution.ts';
import { normalizeRanges, rangesLineCount, type Range } from '../../src/core/ranges.ts';
import { parseAgentTrace } from '../../src/core/records/agent-trace.ts';
import { agentblameRecord } from '../../src/core/records/agentblame.ts';
import { parseEntireTrailers } from '../../src/core/records/entire.ts';
import { gitAiRecord } from '../../src/core/records/git-ai.ts';
import { readCommitRecords } from '../../src/core/records/index.ts';
import { whogititRecord, whogititTrailers } from '../../src/core/records/whogitit.ts';

const added = (path: string, ...ranges: Range[]) => new Map([[path, ranges]]);

export const GIT_AI_14_NOTE = [
  'src/upload.ts',
  '  s_0123456789abcd::t_fedcba98765432 1-10',
  '  h_abcdef01234567 11-14',
  '  p1a2b3c4d5e6f7a8 20-22',
  '---',
  JSON.stringify({
    schema_version: 'authorship/3.0.0',
    git_ai_version: '1.4.2',
    base_commit_sha: 'f'.repeat(40),
    prompts: { p1a2b3c4d5e6f7a8: { agent_id: { tool: 'cursor', id: 'c1', model: 'gpt-5' }, human_author: null, messages: [], total_additions: 3, total_deletions: 0, accepted_lines: 3, overriden_lines: 0 } },
    sessions: { s_0123456789abcd: { agent_id: { tool: 'claude', id: 'c2', model: 'claude-opus-4-5' } } },
    humans: { h_abcdef01234567: { author: 'Ada Human <ada@example.com>' } },
  }),
].join('\n');

describe('git-ai authorship/3.0.0 (git-ai 1.4+)', () => {
  it('sessions and prompts are agent lines, humans are human lines, the rest untracked', () => {
    const r = resolveAttribution([gitAiRecord(GIT_AI_14_NOTE)], added('src/upload.ts', [1, 25]));
    expect(r.counts).toEqual({ agent: 13, human: 4, untracked: 8 });
    expect(r.agents.sort()).toEqual(['claude', 'cursor']);
    const untracked = r.spans.find((s) => s.author === 'untracked')!;
    expect(untracked.ranges).toEqual([[15, 19], [23, 25]]);
  });

  it('a legacy note (prompts only) leaves unattested lines to provenance, not untracked', () => {
    const legacy = `src/a.ts\n  abcd1234abcd1234 1-3\n---\n${JSON.stringify({ schema_version: 'authorship/3.0.0', prompts: { abcd1234abcd1234: { agent_id: { tool: 'codex', id: 'x' } } } })}`;
    const r = resolveAttribution([gitAiRecord(legacy)], added('src/a.ts', [1, 10]));
    expect(r.counts).toEqual({ agent: 3, human: 0, untracked: 0 });
  });
});

describe('Entire CLI trailers', () => {
  it('Entire-Attribution gives whole-commit counts and the checkpoint id', () => {
    const e = parseEntireTrailers('feat: add auth\n\nEntire-Checkpoint: a3b2c4d5e6f7\nEntire-Attribution: 73% agent (146/200 lines)');
    expect(e.checkpoint).toBe('a3b2c4d5e6f7');
    expect(e.record?.totals).toEqual({ agentLines: 146, totalLines: 200 });
    expect(e.record?.agents).toEqual(['unknown']);
    expect(e.warning).toBeNull();
  });

  it('Entire-Agent names the agent; 0% agent names none', () => {
    expect(parseEntireTrailers('x\n\nEntire-Agent: Claude Code\nEntire-Attribution: 100% agent (12/12 lines)').record?.agents).toEqual(['claude']);
    expect(parseEntireTrailers('x\n\nEntire-Attribution: 0% agent (0/40 lines)').record?.agents).toEqual([]);
  });

  it.each(['73 percent', '73% agent (300/200 lines)', 'agent (1/2 lines)'])('malformed %j is a warning', (value) => {
    const e = parseEntireTrailers(`x\n\nEntire-Attribution: ${value}`);
    expect([e.record, typeof e.warning]).toEqual([null, 'string']);
  });
});

describe('whogitit', () => {
  const note = JSON.stringify({
    version: 3,
    session: { session_id: '7f3a4b2c-9d1e-8a7b-c3d4-e5f6a7b8c9d0', model: { id: 'claude-opus-4-5-20251101', provider: 'anthropic' } },
    prompts: [],
    files: [
      {
        path: 'src/auth.rs',
        lines: [
          ...[1, 2, 3].map((n) => ({ line_number: n, content: 'x', source: { type: 'AI', edit_id: 'e1' } })),
          { line_number: 4, content: 'x', source: { type: 'AIModified', edit_id: 'e1', similarity: 0.8 } },
          ...[5, 6].map((n) => ({ line_number: n, content: 'x', source: { type: 'Human' } })),
          ...[7, 8, 9, 10].map((n) => ({ line_number: n, content: 'x', source: { type: 'Original' } })),
          { line_number: 11, content: 'x', source: { type: 'Unknown' } },
        ],
      },
    ],
  });

  it('per-line sources: AI and AIModified agent, Human human, Unknown untracked, Original not added', () => {
    const r = resolveAttribution([whogititRecord(note)], added('src/auth.rs', [1, 6], [11, 11]));
    expect(r.counts).toEqual({ agent: 4, human: 2, untracked: 1 });
    expect(r.spans.find((s) => s.author === 'agent')).toMatchObject({ agent: 'claude', model: 'claude-opus-4-5-20251101' });
  });

  it('AI-Lines trailers', () => {
    expect(whogititTrailers('x\n\nAI-Session: 7f3a\nAI-Model: claude-opus-4-5\nAI-Lines: 23/25').record).toMatchObject({ totals: { agentLines: 23, totalLines: 25 }, agents: ['claude'] });
    expect(whogititTrailers('x\n\nAI-Lines: 30/25').warning).toMatch(/AI-Lines/);
  });

  it('a malformed note throws a GraspError (the caller turns it into a warning)', () => {
    expect(() => whogititRecord('{"version":3,"files":[{"path":"a","lines":[{"line_number":1,"source":{"type":"Robot"}}]}]}')).toThrow(/unknown line source/);
  });
});

describe('agentblame', () => {
  it('version 1: ranges with confidence; a low-confidence match is untracked', () => {
    const note = JSON.stringify({
      version: 1,
      timestamp: '2026-01-30T14:23:17Z',
      attributions: [
        { path: 'src/a.ts', start_line: 1, end_line: 5, category: 'ai_generated', provider: 'cursor', model: 'gpt-5', confidence: 0.9, match_type: 'exact_hash', content_hash: 'h1' },
        { path: 'src/a.ts', start_line: 6, end_line: 7, category: 'ai_generated', provider: 'claude', model: null, confidence: 0.3, match_type: 'fuzzy', content_hash: 'h2' },
      ],
    });
    const r = resolveAttribution([agentblameRecord(note)], added('src/a.ts', [1, 9]));
    expect(r.counts).toEqual({ agent: 5, human: 0, untracked: 2 });
    expect(r.agents).toEqual(['cursor']);
  });

  it('version 3: sessions, aiRanges and humanRanges', () => {
    const note = JSON.stringify({
      version: 3,
      timestamp: '2026-01-30T14:23:17Z',
      sessions: { '0123456789abcdef': { agent: 'opencode', model: 'glm-5', prompts: null, startedAt: '2026-01-30T14:00:00Z' } },
      files: { 'src/b.ts': { aiRanges: [{ sessionId: '0123456789abcdef', promptId: 1, startLine: 3, endLine: 8 }], humanRanges: [{ startLine: 1, endLine: 2 }] } },
    });
    const r = resolveAttribution([agentblameRecord(note)], added('src/b.ts', [1, 10]));
    expect(r.counts).toEqual({ agent: 6, human: 2, untracked: 2 });
    expect(r.agents).toEqual(['opencode']);
  });

  it('an unknown version is rejected', () => {
    expect(() => agentblameRecord('{"version":9}')).toThrow(/unsupported version/);
  });
});

describe('Agent Trace 0.1', () => {
  const trace = (files: unknown, extra: object = {}) =>
    JSON.stringify({ version: '0.1', id: '6f9619ff-8b86-4011-b42d-00c04fc964ff', timestamp: '2026-02-01T10:00:00Z', vcs: { type: 'git', revision: 'a'.repeat(40) }, tool: { name: 'cursor', version: '2.4' }, files, ...extra });

  it('conversations with ai, mixed and human contributors and a per-range override', () => {
    const jsonl = [
      trace([
        {
          path: 'src/c.ts',
          conversations: [
            { url: 'https://cursor.com/c/1', contributor: { type: 'ai', model_id: 'anthropic/claude-opus-4-5-20251101' }, ranges: [{ start_line: 1, end_line: 4 }, { start_line: 5, end_line: 6, contributor: { type: 'human' } }] },
            { contributor: { type: 'mixed' }, ranges: [{ start_line: 7, end_line: 7 }] },
          ],
        },
      ]),
      'not json',
      trace([{ path: 'src/c.ts', conversations: [{ contributor: { type: 'unknown' }, ranges: [{ start_line: 8, end_line: 9 }] }] }]),
    ].join('\n');
    const t = parseAgentTrace(jsonl);
    expect(t.warnings).toEqual(['agent trace line 2: not JSON']);
    const r = resolveAttribution([t.record!], added('src/c.ts', [1, 12]));
    expect(r.counts).toEqual({ agent: 5, human: 2, untracked: 5 });
    expect(r.agents).toEqual(['cursor']);
  });

  it('without a tool the model provider names the agent', () => {
    const t = parseAgentTrace(trace([{ path: 'a', conversations: [{ contributor: { type: 'ai', model_id: 'anthropic/claude-sonnet-4' }, ranges: [{ start_line: 1, end_line: 2 }] }] }], { tool: undefined }));
    expect(t.record?.spans[0]?.agent).toBe('claude');
  });
});

describe('readCommitRecords', () => {
  it('a malformed note is a warning; the other records still count', () => {
    const out = readCommitRecords({
      message: 'x\n\nEntire-Attribution: 50% agent (5/10 lines)',
      notes: { 'refs/notes/ai': 'garbage', 'refs/notes/agentblame': '{"version":1,"attributions":[{"path":"a","start_line":1,"end_line":2,"provider":"claude"}]}' },
    });
    expect(out.records.map((r) => r.source)).toEqual(['agentblame', 'entire']);
    expect(out.warnings.map((w) => w.code)).toEqual(['malformed-git-ai-note']);
  });

  it('git-ai wins a line over a later record', () => {
    const out = readCommitRecords({ message: 'x', notes: { 'refs/notes/ai': GIT_AI_14_NOTE, 'refs/notes/agentblame': '{"version":1,"attributions":[{"path":"src/upload.ts","start_line":11,"end_line":12,"provider":"codex"}]}' } });
    const r = resolveAttribution(out.records, added('src/upload.ts', [1, 25]));
    expect(r.counts).toEqual({ agent: 13, human: 4, untracked: 8 });
  });
});

describe('resolveAttribution properties', () => {
  const range = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 15 })).map(([s, n]) => [s, s + n] as Range);
  const author = fc.constantFrom('agent' as const, 'human' as const, 'untracked' as const);
  const record = fc.record({
    complete: fc.boolean(),
    spans: fc.array(fc.record({ path: fc.constantFrom('a', 'b'), ranges: fc.array(range, { maxLength: 3 }), author }), { maxLength: 5 }),
  });
  it('every added line gets at most one author, nothing outside the added lines, counts add up', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 4 }), fc.array(range, { maxLength: 4 }), fc.array(range, { maxLength: 4 }), (recs, addA, addB) => {
        const records: AttributionRecord[] = recs.map((r) => ({ source: 'agent-trace', complete: r.complete, totals: null, agents: [], spans: r.spans.map((s) => ({ ...s, agent: s.author === 'agent' ? 'x' : null, model: null, key: 'k' })) }));
        const addedMap = new Map([['a', normalizeRanges(addA)], ['b', normalizeRanges(addB)]]);
        const r = resolveAttribution(records, addedMap);
        for (const path of ['a', 'b']) {
          const mine = r.spans.filter((s) => s.path === path).flatMap((s) => s.ranges);
          const total = rangesLineCount(mine);
          expect(rangesLineCount(normalizeRanges(mine))).toBe(total); // disjoint
          expect(subtractRanges(mine, addedMap.get(path)!)).toEqual([]); // inside the added lines
        }
        const sum = r.counts.agent + r.counts.human + r.counts.untracked;
        expect(sum).toBeLessThanOrEqual(rangesLineCount(addedMap.get('a')!) + rangesLineCount(addedMap.get('b')!));
      }),
      { numRuns: 300 },
    );
  });
});

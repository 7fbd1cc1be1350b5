import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { normalizeRanges } from '../../src/core/ranges.ts';
import { agentLineRows, formatGitAiNote, gitAiNoteAgents, parseGitAiNote, type GitAiNote } from '../../src/core/git-ai-note.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

// Written by hand after the Git AI Standard v3.0.0: old-style 16-hex prompt keys, new-style
// s_…::t_… session keys (two traces of one session), a known-human h_ key, a quoted path.
const REALISTIC = `src/server/rate-limit.ts
  3f9a1c27e4b0d812 1-24,30,41-58
  s_7c1e9a55d0b3f2::t_0a1b2c3d4e5f67 60-72
  h_5e6f7a8b9c0d1e 25-29
  s_7c1e9a55d0b3f2::t_f7e6d5c4b3a291 73-80
"src/ui/Upload Button.tsx"
  s_7c1e9a55d0b3f2::t_0a1b2c3d4e5f67 1-12
tests/rate-limit.test.ts
  3f9a1c27e4b0d812 1-40
---
{
  "schema_version": "authorship/3.0.0",
  "git_ai_version": "1.4.2",
  "base_commit_sha": "9c1d0e3b2a4f5e6d7c8b9a0f1e2d3c4b5a697887",
  "prompts": {
    "3f9a1c27e4b0d812": {
      "agent_id": { "tool": "claude", "id": "0b7f5e2c-6a1d-4c3e-9f8a-2b1c0d9e8f7a", "model": "claude-sonnet-4-5" },
      "human_author": "Ada Lovelace <ada@example.com>",
      "messages": [],
      "total_additions": 70,
      "total_deletions": 4,
      "accepted_lines": 65,
      "overriden_lines": 0
    }
  },
  "sessions": {
    "s_7c1e9a55d0b3f2": {
      "agent_id": { "tool": "cursor", "id": "b8d3f1a0-2c4e-4b6d-8f0a-1c3e5a7b9d2f", "model": "gpt-5" },
      "human_author": "Ada Lovelace <ada@example.com>"
    }
  },
  "humans": {
    "h_5e6f7a8b9c0d1e": { "author": "Ada Lovelace <ada@example.com>" }
  }
}
`;

const invalid = (text: string) => {
  try {
    parseGitAiNote(text);
  } catch (e) {
    expect(e).toBeInstanceOf(GraspError);
    expect((e as GraspError).code).toBe('invalid');
    return (e as GraspError).message;
  }
  throw new Error('expected parseGitAiNote to throw');
};

describe('parseGitAiNote', () => {
  it('parses a realistic note: files, merged sessions, resolved agents', () => {
    const note = parseGitAiNote(REALISTIC);
    expect(note.schemaVersion).toBe('authorship/3.0.0');
    expect(note.files).toEqual([
      {
        path: 'src/server/rate-limit.ts',
        sessions: [
          { session: '3f9a1c27e4b0d812', ranges: [[1, 24], [30, 30], [41, 58]] },
          { session: 's_7c1e9a55d0b3f2', ranges: [[60, 80]] },
          { session: 'h_5e6f7a8b9c0d1e', ranges: [[25, 29]] },
        ],
      },
      { path: 'src/ui/Upload Button.tsx', sessions: [{ session: 's_7c1e9a55d0b3f2', ranges: [[1, 12]] }] },
      { path: 'tests/rate-limit.test.ts', sessions: [{ session: '3f9a1c27e4b0d812', ranges: [[1, 40]] }] },
    ]);
    expect({ ...note.sessions }).toEqual({
      '3f9a1c27e4b0d812': { agent: 'claude', model: 'claude-sonnet-4-5' },
      s_7c1e9a55d0b3f2: { agent: 'cursor', model: 'gpt-5' },
      h_5e6f7a8b9c0d1e: { agent: null, model: null },
    });
  });

  it('agentLineRows and gitAiNoteAgents leave out human-attributed lines', () => {
    const note = parseGitAiNote(REALISTIC);
    const rows = agentLineRows(note);
    expect(rows.map((r) => `${r.path}|${r.session}|${r.agent}`)).toEqual([
      'src/server/rate-limit.ts|3f9a1c27e4b0d812|claude',
      'src/server/rate-limit.ts|s_7c1e9a55d0b3f2|cursor',
      'src/ui/Upload Button.tsx|s_7c1e9a55d0b3f2|cursor',
      'tests/rate-limit.test.ts|3f9a1c27e4b0d812|claude',
    ]);
    expect(gitAiNoteAgents(note)).toEqual(['claude', 'cursor']);
  });

  it.each([
    ['claude', 'claude'],
    ['claude-code', 'claude'],
    ['github-copilot', 'copilot'],
    ['continue-cli', 'continue'],
    ['codex', 'codex'],
    ['windsurf', 'windsurf'],
    ['brand-new-agent', 'brand-new-agent'],
  ])('maps git-ai tool %s to agent %s; "unknown" model becomes null', (tool, agent) => {
    const note = parseGitAiNote(`a.ts\n  abcdef0123456789 1\n---\n{"schema_version":"authorship/3.0.0","prompts":{"abcdef0123456789":{"agent_id":{"tool":"${tool}","id":"x","model":"unknown"}}}}`);
    expect(note.sessions['abcdef0123456789']).toEqual({ agent, model: null });
  });

  it('accepts quoted paths with spaces and brackets, CRLF line ends, short legacy keys', () => {
    const text = '"docs/README (copy).md"\r\n  abc1234 5\r\n"src/my file.rs"\r\n  abc1234 1-10\r\n---\r\n{"prompts":{"abc1234":{"agent_id":{"tool":"cursor","id":"s","model":"claude-3-sonnet"}}}}\r\n';
    const note = parseGitAiNote(text);
    expect(note.files.map((f) => f.path)).toEqual(['docs/README (copy).md', 'src/my file.rs']);
    expect(note.schemaVersion).toBeNull();
    expect(gitAiNoteAgents(note)).toEqual(['cursor']);
  });

  it('a note with metadata only (human-only commit) has no agent lines', () => {
    const note = parseGitAiNote('---\n{"schema_version":"authorship/3.0.0","base_commit_sha":"","prompts":{}}');
    expect(note.files).toEqual([]);
    expect(gitAiNoteAgents(note)).toEqual([]);
  });

  it('keeps odd keys such as "__proto__" as plain keys', () => {
    const note = parseGitAiNote('x.ts\n  __proto__ 1\n---\n{"prompts":{"__proto__":{"agent_id":{"tool":"codex","id":"1","model":"gpt-5"}}}}');
    expect(Object.hasOwn(note.sessions, '__proto__')).toBe(true);
    expect(note.sessions['__proto__']).toEqual({ agent: 'codex', model: 'gpt-5' });
  });

  it('an attestation key without a metadata record still counts as AI-written', () => {
    const note = parseGitAiNote('x.ts\n  0123456789abcdef 3-4\n---\n{"schema_version":"authorship/3.0.0","prompts":{}}');
    expect(note.sessions['0123456789abcdef']).toEqual({ agent: 'unknown', model: null });
    expect(gitAiNoteAgents(note)).toEqual(['unknown']);
  });

  it.each([
    ['empty', '', /empty/],
    ['blank', '  \n\n', /empty/],
    ['missing divider', 'a.ts\n  abc1234 1-3\n{"prompts":{}}', /no "---" line/],
    ['bad range (reversed)', 'a.ts\n  abc1234 9-3\n---\n{}', /line 2: malformed line ranges "9-3"/],
    ['bad range (text)', 'a.ts\n  abc1234 1-3\n  abc1234 one\n---\n{}', /line 3: malformed line ranges "one"/],
    ['zero line', 'a.ts\n  abc1234 0\n---\n{}', /line 2: malformed line ranges/],
    ['entry without ranges', 'a.ts\n  abc1234\n---\n{}', /line 2: expected "<session> <line ranges>"/],
    ['entry before a path', '  abc1234 1\n---\n{}', /line 1: attestation line before any file path/],
    ['file without entries', 'a.ts\nb.ts\n  abc1234 1\n---\n{}', /line 1: file "a.ts" has no attestation lines/],
    ['unquoted path with space', 'my file.ts\n  abc1234 1\n---\n{}', /line 1: file path with whitespace must be quoted/],
    ['unterminated quote', '"my file.ts\n  abc1234 1\n---\n{}', /line 1: unterminated quoted file path/],
    ['bad session key', 'a.ts\n  ab$c 1\n---\n{}', /line 2: malformed session key/],
    ['bad JSON', 'a.ts\n  abc1234 1\n---\n{"prompts": {', /line 4: metadata is not valid JSON/],
    ['JSON array', '---\n[1,2]', /line 2: metadata must be a JSON object/],
    ['missing JSON', 'a.ts\n  abc1234 1\n---\n', /line 4: missing JSON metadata/],
    ['other schema major', '---\n{"schema_version":"authorship/2.0.0"}', /unsupported schema_version "authorship\/2.0.0"/],
    ['schema_version not a string', '---\n{"schema_version":3}', /metadata field "schema_version"/],
    ['prompt without agent_id', '---\n{"prompts":{"abc1234":{"messages":[]}}}', /metadata prompts\.abc1234\.agent_id/],
    ['prompts not an object', '---\n{"prompts":[]}', /metadata field "prompts"/],
  ])('rejects %s with a clear message', (_name, text, message) => {
    expect(invalid(text)).toMatch(message);
  });

  it('never throws anything but GraspError on random text', () => {
    const piece = fc.constantFrom('---', 'a.ts', '"a b.ts"', '"x', '  abc1234 1-3', '  abc1234 3-1', '  h_1 2', '  s_1::t_2 4', '{', '}', '{"prompts":{"abc1234":{"agent_id":{"tool":"claude"}}}}', '{"prompts":{"abc1234":{}}}', '{"humans":{"__proto__":1}}', '', ' ');
    const structured = fc.array(fc.oneof(piece, fc.string()), { maxLength: 10 }).map((l) => l.join('\n'));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), structured), (text) => {
        try {
          parseGitAiNote(text);
        } catch (e) {
          expect(e).toBeInstanceOf(GraspError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const AGENTS = ['claude', 'copilot', 'codex', 'cursor', 'devin', 'gemini', 'aider', 'continue', 'windsurf', 'codegen', 'custom-agent'];
const hex = fc.stringMatching(/^[0-9a-f]{16}$/);
const sessionKey = fc.oneof(hex, hex.map((h) => `s_${h.slice(0, 14)}`), hex.map((h) => `h_${h.slice(0, 14)}`));
const pathArb = fc.stringMatching(/^[A-Za-z0-9_./ ()-]{1,30}$/).filter((p) => p.trim() !== '' && p !== '---');
// Canonical (sorted, merged) ranges, the form the parser returns.
const rangesArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 12 })
  .map((pairs) => normalizeRanges(pairs.map(([s, len]) => [s, s + len] as const)));
const noteArb: fc.Arbitrary<GitAiNote> = fc
  .uniqueArray(sessionKey, { minLength: 1, maxLength: 4 })
  .chain((keys) =>
    fc.record({
      schemaVersion: fc.constantFrom('authorship/3.0.0', 'authorship/3.1.0', null),
      files: fc.uniqueArray(
        fc.record({
          path: pathArb,
          sessions: fc.uniqueArray(fc.record({ session: fc.constantFrom(...keys), ranges: rangesArb }), { minLength: 1, maxLength: 3, selector: (s) => s.session }),
        }),
        { maxLength: 4, selector: (f) => f.path },
      ),
      sessions: fc.tuple(
        ...keys.map((k) =>
          k.startsWith('h_')
            ? fc.constant([k, { agent: null, model: null }] as const)
            : fc.record({ agent: fc.constantFrom(...AGENTS), model: fc.constantFrom(null, 'claude-sonnet-4-5', 'gpt-5') }).map((v) => [k, v] as const),
        ),
      ),
    }),
  )
  .map((n) => ({ ...n, sessions: Object.fromEntries(n.sessions) }));

describe('formatGitAiNote', () => {
  it('round-trips generated notes through parse', () => {
    fc.assert(
      fc.property(noteArb, (note) => {
        const parsed = parseGitAiNote(formatGitAiNote(note));
        expect(parsed.schemaVersion).toBe(note.schemaVersion);
        expect(parsed.files).toEqual(note.files);
        expect({ ...parsed.sessions }).toEqual(note.sessions);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the git-ai tool names and quotes paths with spaces', () => {
    const text = formatGitAiNote({
      schemaVersion: 'authorship/3.0.0',
      files: [{ path: 'src/a b.ts', sessions: [{ session: 'abcdef0123456789', ranges: [[1, 3], [7, 7]] }] }],
      sessions: { abcdef0123456789: { agent: 'copilot', model: 'gpt-5' } },
    });
    expect(text.split('\n').slice(0, 3)).toEqual(['"src/a b.ts"', '  abcdef0123456789 1-3,7', '---']);
    expect(JSON.parse(text.slice(text.indexOf('---') + 4)).prompts.abcdef0123456789.agent_id).toMatchObject({ tool: 'github-copilot', model: 'gpt-5' });
  });

  it('refuses paths and keys it cannot write', () => {
    const base = { schemaVersion: 'authorship/3.0.0', sessions: {} };
    expect(() => formatGitAiNote({ ...base, files: [{ path: 'a\nb', sessions: [{ session: 'abc1234', ranges: [[1, 1]] }] }] })).toThrow(GraspError);
    expect(() => formatGitAiNote({ ...base, files: [{ path: 'a', sessions: [{ session: 'a b', ranges: [[1, 1]] }] }] })).toThrow(/session key/);
  });
});

describe('a note stored in a real repository', () => {
  const repo = new GitFixture();
  afterAll(() => repo.cleanup());

  it('survives git notes add/show under refs/notes/ai', () => {
    const sha = repo.write('src/server/rate-limit.ts', 'export const x = 1;\n').commit({ message: 'Add rate limiter' });
    repo.note(sha, REALISTIC);
    const stored = repo.git('notes', '--ref=ai', 'show', sha);
    expect(parseGitAiNote(stored)).toEqual(parseGitAiNote(REALISTIC));
  });
});

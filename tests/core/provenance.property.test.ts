import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCommit, type ProvenanceInput } from '../../src/core/provenance.ts';

const anyInput: fc.Arbitrary<ProvenanceInput> = fc.record({
  authorName: fc.string(),
  authorEmail: fc.string(),
  committerName: fc.string(),
  committerEmail: fc.string(),
  message: fc.oneof(fc.string(), fc.array(fc.constantFrom('', 'Co-authored-by: Claude <noreply@anthropic.com>', 'Made-with: Cursor', 'x: y', '  cont', 'prose'), { maxLength: 8 }).map((l) => l.join('\n'))),
  branches: fc.option(fc.array(fc.string(), { maxLength: 4 }), { nil: undefined }),
  prAuthorLogin: fc.option(fc.string(), { nil: null }),
  gitAiAgents: fc.option(fc.array(fc.string(), { maxLength: 3 }), { nil: undefined }),
});

// People whose names collide with agent product names, writing prose about agents.
const firstName = fc.constantFrom('Devin', 'Claude', 'Jules', 'Aider', 'Cursor', 'Gemini', 'Cline', 'Amp', 'Ada');
const word = fc.constantFrom('fix', 'claude', 'copilot', 'devin', 'cursor', 'codex', 'integration', 'revert', 'settings', 'Generated', 'with', 'aider', '(aider)', 'bot');
// "Generated with <word>" is a signature line ("Generated with Claude"), which counts wherever it
// stands (a squash can run it into one line), so prose never says it (a seed found the subject
// "Generated with claude").
const sentence = fc
  .array(word, { minLength: 1, maxLength: 8 })
  .map((w) => w.join(' '))
  .filter((s) => !/\bGenerated with\b/.test(s));
const humanInput = fc
  .record({
    first: firstName,
    last: fc.constantFrom('Smith', 'Monet', 'Verne', 'Ng'),
    subject: sentence,
    body: fc.array(sentence, { maxLength: 3 }),
  })
  .map(({ first, last, subject, body }): ProvenanceInput => {
    const email = `${first.toLowerCase()}.${last.toLowerCase()}@example.com`;
    const name = `${first} ${last}`;
    return {
      authorName: name,
      authorEmail: email,
      committerName: name,
      committerEmail: email,
      message: [subject.replace(/^aider\b/, 'Aider'), ...body.map((b) => `\nWe ${b}.`)].join('\n'),
      branches: [`${first.toLowerCase()}/wip`],
    };
  });

describe('classifyCommit properties', () => {
  it('never throws on string input and returns a consistent result', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const p = classifyCommit(input);
        expect(['agent', 'human', 'bot']).toContain(p.kind);
        expect(p.confidence).toBeGreaterThanOrEqual(0);
        expect(p.confidence).toBeLessThanOrEqual(1);
        expect(p.agent === null).toBe(p.kind !== 'agent');
        if (p.kind !== 'human') expect(p.evidence.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('people named like agents, writing about agents in prose, on their own branches, are human', () => {
    fc.assert(
      fc.property(humanInput, (input) => {
        const p = classifyCommit(input);
        expect(p.kind).toBe('human');
        expect(p.evidence).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('the order of trailers does not change the verdict', () => {
    const trailer = fc.constantFrom(
      'Co-authored-by: Claude <noreply@anthropic.com>',
      'Co-authored-by: Bob <bob@example.com>',
      'Made-with: Cursor',
      'Signed-off-by: Ada <ada@example.com>',
      'Assisted-by: Codex:gpt-5-codex',
    );
    fc.assert(
      fc.property(fc.array(trailer, { minLength: 1, maxLength: 5 }), (trailers) => {
        const base = { authorName: 'Ada', authorEmail: 'ada@example.com', committerName: 'Ada', committerEmail: 'ada@example.com' };
        const a = classifyCommit({ ...base, message: `Subject\n\n${trailers.join('\n')}` });
        const b = classifyCommit({ ...base, message: `Subject\n\n${[...trailers].reverse().join('\n')}` });
        expect([b.kind, b.confidence, b.evidence.length]).toEqual([a.kind, a.confidence, a.evidence.length]);
        expect(b.agent).toBe(a.agent);
      }),
      { numRuns: 200 },
    );
  });
});

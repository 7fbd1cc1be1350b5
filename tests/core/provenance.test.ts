import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG, canonicalAgentName, extendCatalog } from '../../src/core/agents.ts';
import { GraspError } from '../../src/core/errors.ts';
import { SIGNAL_WEIGHTS, classifyCommit, parseTrailers, type ProvenanceInput } from '../../src/core/provenance.ts';

const ADA = { name: 'Ada Lovelace', email: 'ada@example.com' };
const WEB_FLOW = { name: 'GitHub', email: 'noreply@github.com' };

function commit(over: Partial<ProvenanceInput> & { author?: { name: string; email: string }; committer?: { name: string; email: string } } = {}): ProvenanceInput {
  const author = over.author ?? ADA;
  const committer = over.committer ?? author;
  return {
    authorName: author.name,
    authorEmail: author.email,
    committerName: committer.name,
    committerEmail: committer.email,
    message: over.message ?? 'Fix off-by-one in pagination\n\nThe last page was dropped when the total was a multiple of the page size.\n',
    branches: over.branches,
    prAuthorLogin: over.prAuthorLogin,
    gitAiAgents: over.gitAiAgents,
  };
}

const signals = (p: { evidence: { signal: string }[] }) => p.evidence.map((e) => e.signal);

describe('agent identities as author', () => {
  it.each([
    ['copilot', 'copilot-swe-agent[bot]', '198982749+Copilot@users.noreply.github.com'],
    ['devin', 'devin-ai-integration[bot]', '158243242+devin-ai-integration[bot]@users.noreply.github.com'],
    ['claude', 'claude[bot]', '209825114+claude[bot]@users.noreply.github.com'],
    ['cursor', 'cursor[bot]', '206951365+cursor[bot]@users.noreply.github.com'],
    ['cursor', 'Cursor Agent', 'cursoragent@cursor.com'],
    ['codex', 'chatgpt-codex-connector[bot]', '199175422+chatgpt-codex-connector[bot]@users.noreply.github.com'],
    ['jules', 'google-labs-jules[bot]', '161369871+google-labs-jules[bot]@users.noreply.github.com'],
    ['openhands', 'openhands', 'openhands@all-hands.dev'],
    ['gemini', 'gemini-code-assist[bot]', '176961590+gemini-code-assist[bot]@users.noreply.github.com'],
  ])('%s: %s <%s>', (agent, name, email) => {
    const p = classifyCommit(commit({ author: { name, email }, committer: WEB_FLOW }));
    expect(p.kind).toBe('agent');
    expect(p.agent).toBe(agent);
    expect(p.confidence).toBeCloseTo(SIGNAL_WEIGHTS['author-identity'], 3);
    expect(p.evidence).toEqual([{ signal: 'author-identity', detail: `${name} <${email}>`, agent }]);
  });

  it('matches the openhands-agent login by exact name even with a non-agent e-mail', () => {
    const p = classifyCommit(commit({ author: { name: 'openhands-agent', email: 'ci@acme.dev' } }));
    expect([p.kind, p.agent]).toEqual(['agent', 'openhands']);
  });

  it('counts an agent committer with a human author, at a lower weight', () => {
    const p = classifyCommit(commit({ committer: { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com' } }));
    expect([p.kind, p.agent]).toEqual(['agent', 'copilot']);
    expect(p.confidence).toBeCloseTo(0.7, 3);
    expect(signals(p)).toEqual(['committer-identity']);
  });
});

describe('message signals', () => {
  it('Claude Code commit: generated-with line and co-author trailer combine by noisy-OR', () => {
    const message = [
      'Add rate limiter to the upload endpoint',
      '',
      'Uses a token bucket per API key.',
      '',
      '🤖 Generated with [Claude Code](https://claude.ai/code)',
      '',
      'Co-Authored-By: Claude <noreply@anthropic.com>',
    ].join('\n');
    const p = classifyCommit(commit({ message }));
    expect([p.kind, p.agent]).toEqual(['agent', 'claude']);
    expect(p.confidence).toBeCloseTo(1 - 0.1 * 0.1, 3);
    expect(p.evidence).toEqual([
      { signal: 'co-author-trailer', detail: 'Co-Authored-By: Claude <noreply@anthropic.com>', agent: 'claude' },
      { signal: 'generated-with-line', detail: '🤖 Generated with [Claude Code](https://claude.ai/code)', agent: 'claude' },
    ]);
  });

  it.each([
    ['claude', 'Co-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>'],
    ['claude', 'co-authored-by: claude <NoReply@Anthropic.com>'],
    ['cursor', 'Co-authored-by: Cursor Agent <cursoragent@cursor.com>'],
    ['openhands', 'Co-authored-by: openhands <openhands@all-hands.dev>'],
    ['codex', 'Co-authored-by: Codex <noreply@openai.com>'],
    ['copilot', 'Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>'],
    ['copilot', 'Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>'],
    ['aider', 'Co-authored-by: aider (anthropic/claude-3-7-sonnet) <noreply@aider.chat>'],
  ])('co-author trailer → %s: %s', (agent, trailer) => {
    const message = `Refactor session store\n\nSplit reads from writes.\n\nSigned-off-by: Ada Lovelace <ada@example.com>\n${trailer}\n`;
    const p = classifyCommit(commit({ message }));
    expect([p.kind, p.agent]).toEqual(['agent', agent]);
    expect(p.evidence).toEqual([{ signal: 'co-author-trailer', detail: trailer, agent }]);
  });

  it('Assisted-by: AGENT:MODEL names the agent, known or not', () => {
    const known = classifyCommit(commit({ message: 'mm: fix leak in slab\n\nAssisted-by: Claude:claude-3-opus\nSigned-off-by: Ada <ada@example.com>' }));
    expect([known.kind, known.agent, signals(known)]).toEqual(['agent', 'claude', ['assisted-by-trailer']]);
    expect(known.evidence[0]!.detail).toBe('Assisted-by: Claude:claude-3-opus');
    const other = classifyCommit(commit({ message: 'docs: tidy\n\nAssisted-by: Kimi:kimi-k2' }));
    expect([other.kind, other.agent]).toEqual(['agent', 'kimi']);
    const person = classifyCommit(commit({ message: 'docs: tidy\n\nAssisted-by: Bob Builder <bob@example.com>' }));
    expect(person.kind).toBe('human');
  });

  it('Made-with: Cursor', () => {
    const p = classifyCommit(commit({ message: 'Add dark mode toggle\n\nMade-with: Cursor' }));
    expect([p.kind, p.agent, p.confidence]).toEqual(['agent', 'cursor', 0.85]);
  });

  it('Generated-with line without emoji or link', () => {
    const p = classifyCommit(commit({ message: 'Add CSV export\n\nGenerated with Claude Code\n\nMore notes here.' }));
    expect([p.kind, p.agent, signals(p)]).toEqual(['agent', 'claude', ['generated-with-line']]);
  });

  it('aider: "(aider)" author suffix and "aider: " subject prefix', () => {
    const suffix = classifyCommit(commit({ author: { name: 'Jane Doe (aider)', email: 'jane@example.com' } }));
    expect([suffix.kind, suffix.agent, signals(suffix)]).toEqual(['agent', 'aider', ['aider-author']]);
    expect(suffix.evidence[0]!.detail).toBe('Jane Doe (aider)');
    const subject = classifyCommit(commit({ message: 'aider: Add input validation to parse_args' }));
    expect([subject.kind, subject.agent, subject.confidence]).toEqual(['agent', 'aider', 0.6]);
  });
});

describe('context signals', () => {
  it.each([
    ['codex', 'refs/heads/codex/add-retry-to-fetch'],
    ['claude', 'origin/Claude/Fix-Flaky-Test'],
    ['copilot', 'copilot/fix-123'],
    ['devin', 'devin/1714000000-add-metrics'],
    ['openhands', 'openhands-fix-issue-42'],
  ])('branch → %s (%s)', (agent, branch) => {
    const p = classifyCommit(commit({ branches: ['main', branch] }));
    expect([p.kind, p.agent, p.confidence]).toEqual(['agent', agent, 0.5]);
    expect(p.evidence[0]!.signal).toBe('branch-name');
  });

  it('a personal branch named after the author is not an agent branch', () => {
    const p = classifyCommit(commit({ author: { name: 'Devin Smith', email: 'devin@example.com' }, branches: ['devin/fix-login'] }));
    expect(p.kind).toBe('human');
    expect(p.evidence).toEqual([]);
  });

  it.each([
    ['copilot', 'Copilot'],
    ['devin', 'devin-ai-integration[bot]'],
    ['devin', 'devin-ai-integration'],
    ['claude', 'claude[bot]'],
  ])('PR author → %s (%s)', (agent, login) => {
    const p = classifyCommit(commit({ prAuthorLogin: login }));
    expect([p.kind, p.agent, signals(p)]).toEqual(['agent', agent, ['pr-author']]);
  });

  it('a person who owns the bare login "claude" is not the Claude app', () => {
    expect(classifyCommit(commit({ prAuthorLogin: 'claude' })).kind).toBe('human');
  });

  it('git-ai note agents are canonicalized and strong', () => {
    const p = classifyCommit(commit({ gitAiAgents: ['github-copilot'] }));
    expect([p.kind, p.agent, p.confidence]).toEqual(['agent', 'copilot', 0.97]);
    expect(p.evidence[0]).toEqual({ signal: 'git-ai-note', detail: 'git-ai note agent "github-copilot"', agent: 'copilot' });
  });
});

describe('traps that are not agents', () => {
  it.each([
    ['Devin Smith', 'devin@example.com'],
    ['Claude Monet', 'claude@monet.fr'],
    ['Jules Verne', 'jules@nautilus.org'],
    ['Cursor', 'cursor@example.com'],
  ])('human %s <%s>', (name, email) => {
    const p = classifyCommit(commit({ author: { name, email } }));
    expect(p).toEqual({ kind: 'human', agent: null, confidence: 0.9, evidence: [] });
  });

  it.each([
    ['dependabot', 'dependabot[bot]', '49699333+dependabot[bot]@users.noreply.github.com'],
    ['renovate', 'renovate[bot]', '29139614+renovate[bot]@users.noreply.github.com'],
    ['coderabbit', 'coderabbitai[bot]', '136622811+coderabbitai[bot]@users.noreply.github.com'],
    ['github-actions', 'github-actions[bot]', '41898282+github-actions[bot]@users.noreply.github.com'],
    ['github-actions', 'GitHub Action', 'action@github.com'],
    ['acme-ci', 'acme-ci[bot]', '1234+acme-ci[bot]@users.noreply.github.com'],
  ])('bot %s: %s <%s>', (bot, name, email) => {
    const p = classifyCommit(commit({ author: { name, email }, message: 'Bump lodash from 4.17.20 to 4.17.21' }));
    expect(p).toEqual({ kind: 'bot', agent: null, confidence: 0.95, evidence: [{ signal: 'bot-identity', detail: `${name} <${email}>`, agent: bot }] });
  });

  it('a bot PR author makes the commit a bot commit', () => {
    const p = classifyCommit(commit({ author: { name: 'Renovate Bot', email: 'bot@renovateapp.com' }, prAuthorLogin: 'renovate' }));
    expect([p.kind, signals(p)]).toEqual(['bot', ['bot-identity', 'bot-pr-author']]);
  });

  it.each([
    'fix claude integration',
    'Revert copilot settings\n\nCopilot kept rewriting the tsconfig; cursor users reported the same.',
    'Document how to use Claude Code and Codex with this repo\n\nSee docs/agents.md. Generated with care.',
  ])('prose mention: %j', (message) => {
    expect(classifyCommit(commit({ message }))).toEqual({ kind: 'human', agent: null, confidence: 0.9, evidence: [] });
  });

  it('a human co-author is not an agent', () => {
    const p = classifyCommit(commit({ message: 'Pair on parser\n\nCo-authored-by: Bob Builder <bob@example.com>' }));
    expect(p).toEqual({ kind: 'human', agent: null, confidence: 0.9, evidence: [] });
  });

  it('a Co-authored-by line in the middle of the body is prose, not a trailer', () => {
    const message = 'Explain trailers\n\nWrite Co-authored-by: Claude <noreply@anthropic.com> to credit the agent.\n\nThat is all.';
    expect(classifyCommit(commit({ message })).kind).toBe('human');
    expect(classifyCommit(commit({ message: 'Co-authored-by: Claude <noreply@anthropic.com>' })).kind).toBe('human');
  });

  it('a co-author named like an agent with an unknown address is a dismissed weak signal', () => {
    const p = classifyCommit(commit({ message: 'Tweak copy\n\nCo-authored-by: Claude <claude.dupont@gmail.com>' }));
    expect([p.kind, p.agent, signals(p)]).toEqual(['human', null, ['co-author-name']]);
    expect(p.confidence).toBeCloseTo(0.9 * 0.7, 3);
  });

  it('only the committer being a bot (backport) keeps a human author, with less confidence', () => {
    const p = classifyCommit(commit({ committer: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' } }));
    expect([p.kind, signals(p)]).toEqual(['human', ['bot-committer']]);
    expect(p.confidence).toBeCloseTo(0.63, 3);
  });
});

describe('precedence and choice', () => {
  it('an agent commit committed by GitHub web-flow is an agent', () => {
    const p = classifyCommit(commit({ author: { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com' }, committer: WEB_FLOW }));
    expect([p.kind, p.agent]).toEqual(['agent', 'copilot']);
  });

  it('branch or PR context never turns a dependabot commit into an agent commit', () => {
    const p = classifyCommit(
      commit({ author: { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' }, branches: ['copilot/fix-ci'] }),
    );
    expect(p.kind).toBe('bot');
    expect(signals(p)).toEqual(['bot-identity', 'branch-name']);
  });

  it('a content signal wins over a bot author', () => {
    const p = classifyCommit(
      commit({
        author: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
        message: 'Apply review suggestions\n\nCo-authored-by: Claude <noreply@anthropic.com>',
      }),
    );
    expect([p.kind, p.agent]).toEqual(['agent', 'claude']);
  });

  it('several agents: the highest combined weight wins and all evidence is kept', () => {
    const p = classifyCommit(
      commit({ message: 'Add search\n\nCo-authored-by: Claude <noreply@anthropic.com>\nMade-with: Cursor', branches: ['cursor/add-search-1a2b'] }),
    );
    expect(p.agent).toBe('cursor'); // 1-(0.15*0.5)=0.925 > 0.9
    expect(p.evidence.map((e) => e.agent).sort()).toEqual(['claude', 'cursor', 'cursor']);
    expect(p.confidence).toBeCloseTo(1 - 0.1 * 0.15 * 0.5, 3);
    const q = classifyCommit(commit({ author: { name: 'claude[bot]', email: '209825114+claude[bot]@users.noreply.github.com' }, branches: ['cursor/x'] }));
    expect(q.agent).toBe('claude');
  });
});

describe('catalog', () => {
  it('extendCatalog adds a custom agent without touching the default', () => {
    const catalog = extendCatalog(DEFAULT_CATALOG, {
      agents: [{ name: 'acme-bot', emails: ['coder@acme.dev'], names: ['Acme Coder'], branchPrefixes: ['acme/'] }],
    });
    const input = commit({ author: { name: 'Acme Coder', email: 'coder@acme.dev' } });
    expect(classifyCommit(input, catalog)).toMatchObject({ kind: 'agent', agent: 'acme-bot' });
    expect(classifyCommit(input).kind).toBe('human');
    expect(classifyCommit(commit({ branches: ['acme/task-9'] }), catalog).agent).toBe('acme-bot');
  });

  it('extendCatalog merges into an existing agent and adds bots', () => {
    const catalog = extendCatalog(DEFAULT_CATALOG, {
      agents: [{ name: 'claude', logins: ['claude-enterprise[bot]'] }],
      bots: [{ name: 'acme-release', emails: ['release@acme.dev'] }],
    });
    const p = classifyCommit(commit({ author: { name: 'claude-enterprise[bot]', email: '77+claude-enterprise[bot]@users.noreply.github.com' } }), catalog);
    expect(p.agent).toBe('claude');
    expect(classifyCommit(commit({ author: { name: 'Release', email: 'release@acme.dev' } }), catalog).kind).toBe('bot');
    expect(DEFAULT_CATALOG.agents.find((a) => a.name === 'claude')!.logins).not.toContain('claude-enterprise[bot]');
  });

  it('rejects a malformed extension with a clear GraspError', () => {
    expect(() => extendCatalog(DEFAULT_CATALOG, { agents: [{ name: 'Acme Bot' }] })).toThrow(GraspError);
    expect(() => extendCatalog(DEFAULT_CATALOG, { agents: [{ name: 'Acme Bot' }] })).toThrow(/agents\.0\.name/);
    expect(() => extendCatalog(DEFAULT_CATALOG, { agents: [{ name: 'x', emails: 'a@b' as unknown as string[] }] })).toThrow(/agents\.0\.emails/);
  });

  it.each([
    ['claude-code', 'claude'],
    ['claude', 'claude'],
    ['cursor', 'cursor'],
    ['github-copilot', 'copilot'],
    ['continue-cli', 'continue'],
    ['Windsurf', 'windsurf'],
    ['Some-New-Tool', 'some-new-tool'],
  ])('canonicalAgentName(%s) = %s', (tool, name) => {
    expect(canonicalAgentName(tool)).toBe(name);
  });
});

describe('parseTrailers', () => {
  it('reads the last paragraph, case-insensitive keys, continuation lines', () => {
    const t = parseTrailers('Subject\n\nBody line.\n\nSigned-off-by: A <a@x>\nReviewed-by: B\n  <b@x>\n\n');
    expect(t.map((x) => [x.key, x.value])).toEqual([
      ['Signed-off-by', 'A <a@x>'],
      ['Reviewed-by', 'B <b@x>'],
    ]);
  });

  it('accepts a mixed last paragraph that has a recognized trailer', () => {
    const t = parseTrailers('Subject\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\nCo-Authored-By: Claude <noreply@anthropic.com>');
    expect(t.map((x) => x.key)).toEqual(['Co-Authored-By']);
  });

  it('ignores a prose last paragraph and a subject-only message', () => {
    expect(parseTrailers('Subject\n\nNote: this is prose that goes on\nand on without any trailer at all\nreally.')).toEqual([]);
    expect(parseTrailers('Signed-off-by: A <a@x>')).toEqual([]);
  });
});

it('rejects malformed input with GraspError', () => {
  const bad = { ...commit(), authorName: 42 } as unknown as ProvenanceInput;
  expect(() => classifyCommit(bad)).toThrow(GraspError);
  expect(() => classifyCommit(bad)).toThrow(/authorName/);
});

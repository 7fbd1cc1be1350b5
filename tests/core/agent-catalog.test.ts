/**
 * One fixture per agent product: a commit as the product itself writes it (its app account, its
 * address, its trailer or its "Generated with" signature), and the traps that must stay human.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG, extendCatalog } from '../../src/core/agents.ts';
import { classifyCommit, type ProvenanceInput } from '../../src/core/provenance.ts';

const ADA = { name: 'Ada Lovelace', email: 'ada@example.com' };
const WEB_FLOW = { name: 'GitHub', email: 'noreply@github.com' };

function commit(o: { author?: { name: string; email: string }; message?: string; gitAiAgents?: string[] }): ProvenanceInput {
  const author = o.author ?? ADA;
  return {
    authorName: author.name,
    authorEmail: author.email,
    committerName: o.author ? WEB_FLOW.name : author.name,
    committerEmail: o.author ? WEB_FLOW.email : author.email,
    message: o.message ?? 'Add retry to the fetch helper\n\nBack off on 503.',
    gitAiAgents: o.gitAiAgents,
  };
}
const body = (trailers: string) => `Add retry to the fetch helper\n\nBack off on 503.\n\n${trailers}`;

describe('each product by its own GitHub App account', () => {
  it.each([
    ['claude', 'claude[bot]', '209825114+claude[bot]@users.noreply.github.com'],
    ['codex', 'chatgpt-codex-connector[bot]', '199175422+chatgpt-codex-connector[bot]@users.noreply.github.com'],
    ['cursor', 'cursor[bot]', '206951365+cursor[bot]@users.noreply.github.com'],
    ['devin', 'devin-ai-integration[bot]', '158243242+devin-ai-integration[bot]@users.noreply.github.com'],
    ['jules', 'google-labs-jules[bot]', '161369871+google-labs-jules[bot]@users.noreply.github.com'],
    ['droid', 'factory-droid[bot]', '138933559+factory-droid[bot]@users.noreply.github.com'],
    ['codegen', 'codegen-sh[bot]', '131295404+codegen-sh[bot]@users.noreply.github.com'],
    ['continue', 'continue[bot]', '230936708+continue[bot]@users.noreply.github.com'],
    ['cline', 'cline[bot]', '205137888+cline[bot]@users.noreply.github.com'],
    ['amazon-q', 'amazon-q-developer[bot]', '208079219+amazon-q-developer[bot]@users.noreply.github.com'],
    ['gemini', 'gemini-code-assist[bot]', '176961590+gemini-code-assist[bot]@users.noreply.github.com'],
    ['sweep', 'sweep-ai[bot]', '1234567+sweep-ai[bot]@users.noreply.github.com'],
    ['tembo', 'tembo[bot]', '7654321+tembo[bot]@users.noreply.github.com'],
    ['kilo', 'kilo-code-bot[bot]', '240665456+kilo-code-bot[bot]@users.noreply.github.com'],
    ['opencode', 'opencode-agent[bot]', '2222222+opencode-agent[bot]@users.noreply.github.com'],
    ['roo', 'roomote[bot]', '3333333+roomote[bot]@users.noreply.github.com'],
  ])('%s: %s', (agent, name, email) => {
    const p = classifyCommit(commit({ author: { name, email } }));
    expect([p.kind, p.agent, p.evidence[0]?.signal]).toEqual(['agent', agent, 'author-identity']);
  });

  it('a renamed app is still known by its numeric id', () => {
    const p = classifyCommit(commit({ author: { name: 'jules-renamed[bot]', email: '161369871+jules-renamed[bot]@users.noreply.github.com' } }));
    expect([p.kind, p.agent]).toEqual(['agent', 'jules']);
  });

  it('an id from config is matched too', () => {
    const catalog = extendCatalog(DEFAULT_CATALOG, { agents: [{ name: 'zencoder', githubIds: [99887766] }] });
    const p = classifyCommit(commit({ author: { name: 'zen[bot]', email: '99887766+zen[bot]@users.noreply.github.com' } }), catalog);
    expect([p.kind, p.agent]).toEqual(['agent', 'zencoder']);
  });
});

describe('each product by its own address or trailer', () => {
  it.each([
    ['claude', 'Co-Authored-By: Claude <noreply@anthropic.com>'],
    ['amp', 'Co-authored-by: Amp <amp@ampcode.com>'],
    ['warp', 'Co-Authored-By: Warp <agent@warp.dev>'],
    ['opencode', 'Co-Authored-By: opencode <noreply@opencode.ai>'],
    ['roo', 'Co-authored-by: Roo Code <roomote@roocode.com>'],
    ['qwen', 'Co-authored-by: Qwen-Coder <qwen-coder@alibabacloud.com>'],
    ['continue', 'Co-authored-by: Continue <noreply@continue.dev>'],
    ['cursor', 'Co-authored-by: Cursor Agent <cursoragent@cursor.com>'],
    ['devin', 'Co-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>'],
    ['jules', 'Co-authored-by: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>'],
    ['droid', 'Co-authored-by: factory-droid[bot] <138933559+factory-droid[bot]@users.noreply.github.com>'],
    // Regression: the address Codex's configurable co-author trailer is seen with in real commits.
    ['codex', 'Co-authored-by: Codex <codex@openai.com>'],
  ])('%s: %s', (agent, trailer) => {
    const p = classifyCommit(commit({ message: body(trailer) }));
    expect([p.kind, p.agent, p.evidence.map((e) => e.signal)]).toEqual(['agent', agent, ['co-author-trailer']]);
  });

  it('amp: the thread trailer alone names Amp', () => {
    const p = classifyCommit(commit({ message: body('Amp-Thread-ID: https://ampcode.com/threads/T-5f2c1e0a-1b2c-4d5e-8f90-123456789abc') }));
    expect([p.kind, p.agent, p.evidence.map((e) => e.signal)]).toEqual(['agent', 'amp', ['agent-trailer']]);
  });
});

describe('each product by its "Generated with" signature or a record naming its tool', () => {
  it.each([
    ['claude', '🤖 Generated with [Claude Code](https://claude.com/claude-code)'],
    ['gemini', '🤖 Generated with [Gemini CLI](https://github.com/google-gemini/gemini-cli)'],
    ['opencode', '🤖 Generated with [opencode](https://opencode.ai)'],
    ['codex', 'Generated with [Codex](https://openai.com/codex)'],
  ])('%s: %s', (agent, line) => {
    const p = classifyCommit(commit({ message: `Add retry\n\n${line}` }));
    expect([p.kind, p.agent]).toEqual(['agent', agent]);
  });

  // Products that sign commits with no identity of their own: their names in Made-with or git-ai notes.
  it.each([
    ['windsurf', 'Made-with: Windsurf'],
    ['kiro', 'Made-with: Kiro'],
    ['augment', 'Made-with: Augment Code'],
    ['zencoder', 'Made-with: Zencoder'],
    ['qodo', 'Made-with: Qodo Gen'],
    ['cosine', 'Made-with: Cosine Genie'],
    ['goose', 'Made-with: goose'],
    ['junie', 'Made-with: Junie'],
  ])('%s: %s', (agent, trailer) => {
    expect(classifyCommit(commit({ message: body(trailer) })).agent).toBe(agent);
  });

  it.each([['qwen-code', 'qwen'], ['goose', 'goose'], ['kiro-cli', 'kiro'], ['roo-code', 'roo'], ['genie', 'cosine'], ['warp', 'warp']])(
    'git-ai tool %s is %s',
    (tool, agent) => {
      expect(classifyCommit(commit({ gitAiAgents: [tool] })).agent).toBe(agent);
    },
  );
});

describe('signatures wherever they stand', () => {
  it('a squash that ran the signature and co-author into one bullet line', () => {
    const message = [
      'Add upload limits (#412)',
      '',
      '* Add upload limits 🤖 Generated with [Claude Code](https://claude.com/claude-code) Co-Authored-By: Claude <noreply@anthropic.com>',
      '',
      '* fix lint',
    ].join('\n');
    const p = classifyCommit(commit({ message }));
    expect([p.kind, p.agent]).toEqual(['agent', 'claude']);
    expect(p.evidence.map((e) => e.signal).sort()).toEqual(['co-author-trailer', 'generated-with-line']);
  });

  it('a squash that lists each commit with an indented co-author line', () => {
    const message = 'Speed up search (#88)\n\n* Speed up search\n\n  Co-authored-by: Amp <amp@ampcode.com>\n\n* Review fixes';
    expect(classifyCommit(commit({ message })).agent).toBe('amp');
  });
});

describe('traps stay human', () => {
  it.each([
    ['Jane Doe', 'jane@anthropic.com'],
    ['Sam Rivera', 'sam@ampcode.com'],
    ['Zach Lloyd', 'zach@warp.dev'],
    ['Lee', 'lee@cursor.com'],
    ['Quinn', 'quinn@opencode.ai'],
  ])('a person at an agent vendor: %s <%s>', (name, email) => {
    const p = classifyCommit(commit({ author: { name, email }, message: body(`Co-authored-by: ${name} <${email}>`) }));
    expect(p.kind).toBe('human');
  });

  it('a co-author in running prose, even after a signature word', () => {
    const message = 'Docs\n\nTo credit Warp, write Co-Authored-By: Warp <agent@warp.dev> in the trailer.';
    expect(classifyCommit(commit({ message })).kind).toBe('human');
  });

  it('an unlinked product name in prose is not a signature', () => {
    expect(classifyCommit(commit({ message: 'Docs\n\nThis page was generated with Amp and reviewed.' })).kind).toBe('human');
  });

  it('a person called Goose with a personal address', () => {
    expect(classifyCommit(commit({ author: { name: 'Goose', email: 'goose@example.com' } })).kind).toBe('human');
  });
});

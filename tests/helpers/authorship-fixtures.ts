/** A git-ai note as git-ai 1.4+ writes it (authorship/3.0.0): a session, a human, a legacy prompt; 13 agent, 4 human lines of 1-25. */
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

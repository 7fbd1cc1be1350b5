/**
 * The agent catalog: data describing how each AI coding agent (and each non-AI automation bot)
 * shows up in git history. Classification (provenance.ts) and the git-ai note parser only read it,
 * so teams can add their own agents from config with `extendCatalog`.
 *
 * Matching is always on whole values (logins, emails, exact names, whole alias strings),
 * never on substrings: "Devin Smith" and "Claude Monet" are people, not agents.
 */
import { z } from 'zod';
import { GraspError } from './errors.ts';

export interface AgentDefinition {
  /** Canonical lower-case name stored in the database (`claude`, `copilot`, ...). */
  name: string;
  /** GitHub logins: the `login` part of `<id>+<login>@users.noreply.github.com`, PR authors, bot names. */
  logins: string[];
  /** Exact commit / co-author e-mail addresses. */
  emails: string[];
  /** Exact, distinctive author names (not plain first names). */
  names: string[];
  /** Product names as written in `Assisted-by:`, `Made-with:` and "Generated with [X]" lines. */
  aliases: string[];
  /** Head-branch prefixes the agent uses, e.g. `claude/`. */
  branchPrefixes: string[];
  /** `agent_id.tool` values in git-ai notes. */
  gitAiTools: string[];
  /** Numeric GitHub account ids of the product's app (the `<id>+` of its noreply address); matched even after a rename. */
  githubIds: number[];
  /** Trailer keys only this product writes (`Amp-Thread-ID`): the trailer alone names the agent. */
  trailerKeys: string[];
}

/** Non-AI automation (dependency updaters, CI, release and review bots). */
export interface BotDefinition {
  name: string;
  logins: string[];
  emails: string[];
  names: string[];
}

export interface AgentCatalog {
  agents: AgentDefinition[];
  bots: BotDefinition[];
}

function agent(name: string, d: Partial<Omit<AgentDefinition, 'name'>>): AgentDefinition {
  return {
    name,
    logins: d.logins ?? [],
    emails: d.emails ?? [],
    names: d.names ?? [],
    aliases: d.aliases ?? [],
    branchPrefixes: d.branchPrefixes ?? [],
    gitAiTools: d.gitAiTools ?? [],
    githubIds: d.githubIds ?? [],
    trailerKeys: d.trailerKeys ?? [],
  };
}

function bot(name: string, d: Partial<Omit<BotDefinition, 'name'>>): BotDefinition {
  return { name, logins: d.logins ?? [], emails: d.emails ?? [], names: d.names ?? [] };
}

export const DEFAULT_CATALOG: AgentCatalog = {
  // Sources: each product's documentation and its own commits on GitHub (see docs/agents.md for what was confirmed).
  agents: [
    agent('claude', {
      logins: ['claude[bot]', 'claude-code[bot]', 'anthropic-claude[bot]', 'claude-code-action[bot]'],
      emails: ['noreply@anthropic.com'],
      names: ['claude[bot]', 'Claude Code'],
      aliases: ['Claude', 'Claude Code', 'Anthropic Claude'],
      branchPrefixes: ['claude/'],
      gitAiTools: ['claude', 'claude-code'],
      githubIds: [209825114],
    }),
    agent('copilot', {
      logins: ['Copilot', 'copilot-swe-agent', 'copilot-swe-agent[bot]', 'github-copilot[bot]'],
      names: ['copilot-swe-agent[bot]', 'github-copilot[bot]'],
      aliases: ['Copilot', 'GitHub Copilot', 'Copilot Agent', 'Copilot CLI'],
      branchPrefixes: ['copilot/'],
      gitAiTools: ['github-copilot', 'copilot', 'copilot-cli'],
      githubIds: [198982749],
    }),
    agent('codex', {
      logins: ['chatgpt-codex-connector[bot]', 'chatgpt-codex-connector', 'codex[bot]', 'openai-codex[bot]'],
      emails: ['noreply@openai.com', 'codex@openai.com'],
      names: ['chatgpt-codex-connector[bot]'],
      aliases: ['Codex', 'OpenAI Codex', 'Codex CLI'],
      branchPrefixes: ['codex/'],
      gitAiTools: ['codex', 'codex-cli'],
      githubIds: [199175422],
    }),
    agent('cursor', {
      logins: ['cursor[bot]', 'cursor-agent[bot]', 'cursoragent'],
      emails: ['cursoragent@cursor.com'],
      names: ['cursor[bot]', 'Cursor Agent'],
      aliases: ['Cursor', 'Cursor Agent'],
      branchPrefixes: ['cursor/'],
      gitAiTools: ['cursor', 'cursor-agent', 'cursor-background', 'cursor-cli'],
      githubIds: [206951365],
    }),
    agent('devin', {
      logins: ['devin-ai-integration', 'devin-ai-integration[bot]'],
      names: ['devin-ai-integration[bot]', 'Devin AI'],
      aliases: ['Devin', 'Devin AI'],
      branchPrefixes: ['devin/'],
      gitAiTools: ['devin'],
      githubIds: [158243242],
    }),
    agent('jules', {
      logins: ['google-labs-jules[bot]', 'google-labs-jules'],
      names: ['google-labs-jules[bot]'],
      aliases: ['Jules', 'Google Jules'],
      branchPrefixes: ['jules/'],
      gitAiTools: ['jules'],
      githubIds: [161369871],
    }),
    agent('gemini', {
      logins: ['gemini-code-assist[bot]', 'gemini-cli[bot]'],
      names: ['gemini-code-assist[bot]', 'gemini-cli[bot]'],
      aliases: ['Gemini', 'Gemini CLI', 'Gemini Code Assist'],
      branchPrefixes: ['gemini/'],
      gitAiTools: ['gemini', 'gemini-cli'],
      githubIds: [176961590],
    }),
    agent('amazon-q', {
      logins: ['amazon-q-developer[bot]', 'amazon-q-developer'],
      names: ['amazon-q-developer[bot]'],
      aliases: ['Amazon Q', 'Amazon Q Developer', 'Q Developer'],
      gitAiTools: ['amazon-q'],
      githubIds: [208079219],
    }),
    agent('openhands', {
      logins: ['openhands-agent', 'openhands-ai[bot]', 'openhands[bot]'],
      emails: ['openhands@all-hands.dev'],
      names: ['openhands-agent', 'openhands-ai[bot]'],
      aliases: ['OpenHands'],
      branchPrefixes: ['openhands/', 'openhands-fix-'],
      gitAiTools: ['openhands'],
    }),
    agent('aider', {
      emails: ['noreply@aider.chat'],
      aliases: ['aider'],
      gitAiTools: ['aider'],
    }),
    agent('cline', { logins: ['cline[bot]'], names: ['cline[bot]'], aliases: ['Cline'], branchPrefixes: ['cline/'], gitAiTools: ['cline'], githubIds: [205137888] }),
    agent('continue', {
      logins: ['continue[bot]'],
      emails: ['noreply@continue.dev'],
      names: ['continue[bot]'],
      aliases: ['Continue', 'Continue CLI', 'Continue Agent'],
      gitAiTools: ['continue', 'continue-cli'],
      githubIds: [230936708],
    }),
    agent('replit', {
      logins: ['replit-agent', 'replit-agent[bot]'],
      aliases: ['Replit', 'Replit Agent'],
      gitAiTools: ['replit'],
    }),
    agent('windsurf', { aliases: ['Windsurf', 'Cascade', 'Windsurf Cascade'], branchPrefixes: ['windsurf/'], gitAiTools: ['windsurf'] }),
    agent('sweep', {
      logins: ['sweep-ai[bot]', 'sweep-ai-deprecated[bot]'],
      names: ['sweep-ai[bot]'],
      aliases: ['Sweep', 'Sweep AI'],
      branchPrefixes: ['sweep/'],
      gitAiTools: ['sweep'],
    }),
    agent('amp', {
      emails: ['amp@ampcode.com'],
      aliases: ['Amp'],
      gitAiTools: ['amp'],
      // Amp links every commit it makes to its thread.
      trailerKeys: ['Amp-Thread', 'Amp-Thread-ID'],
    }),
    agent('droid', {
      logins: ['factory-droid[bot]'],
      names: ['factory-droid[bot]'],
      aliases: ['Droid', 'Factory Droid'],
      branchPrefixes: ['droid/'],
      gitAiTools: ['droid', 'factory-droid'],
      githubIds: [138933559],
    }),
    agent('opencode', {
      logins: ['opencode-agent[bot]'],
      emails: ['noreply@opencode.ai'],
      names: ['opencode-agent[bot]'],
      aliases: ['opencode', 'OpenCode'],
      branchPrefixes: ['opencode/'],
      gitAiTools: ['opencode'],
    }),
    agent('codegen', { logins: ['codegen-sh[bot]'], names: ['codegen-sh[bot]'], aliases: ['Codegen'], branchPrefixes: ['codegen-bot/', 'codegen/'], githubIds: [131295404] }),
    agent('tembo', { logins: ['tembo[bot]'], names: ['tembo[bot]'], aliases: ['Tembo'], branchPrefixes: ['tembo/'], gitAiTools: ['tembo'] }),
    agent('warp', { emails: ['agent@warp.dev'], aliases: ['Warp', 'Warp Agent'], gitAiTools: ['warp'] }),
    agent('roo', { logins: ['roomote[bot]'], emails: ['roomote@roocode.com'], names: ['roomote[bot]'], aliases: ['Roo Code', 'Roomote'], gitAiTools: ['roo', 'roo-code'] }),
    agent('kilo', { logins: ['kilo-code-bot[bot]'], names: ['kilo-code-bot[bot]'], aliases: ['Kilo Code', 'Kilo'], gitAiTools: ['kilo', 'kilo-code'] }),
    agent('qwen', { emails: ['qwen-coder@alibabacloud.com'], aliases: ['Qwen Code', 'Qwen-Coder'], gitAiTools: ['qwen', 'qwen-code'] }),
    agent('goose', { aliases: ['goose', 'Goose'], gitAiTools: ['goose'] }),
    agent('junie', { aliases: ['Junie'], gitAiTools: ['junie'] }),
    agent('kiro', { aliases: ['Kiro'], gitAiTools: ['kiro', 'kiro-cli'] }),
    agent('augment', { aliases: ['Augment', 'Augment Code', 'Auggie'], gitAiTools: ['augment', 'auggie'] }),
    agent('zencoder', { aliases: ['Zencoder'], gitAiTools: ['zencoder'] }),
    agent('qodo', { aliases: ['Qodo', 'Qodo Gen', 'Qodo Command'], gitAiTools: ['qodo'] }),
    agent('cosine', { aliases: ['Cosine', 'Cosine Genie'], gitAiTools: ['cosine', 'genie'] }),
  ],
  bots: [
    bot('dependabot', {
      logins: ['dependabot[bot]', 'dependabot-preview[bot]'],
      emails: ['support@dependabot.com'],
      names: ['dependabot[bot]', 'dependabot-preview[bot]'],
    }),
    bot('renovate', { logins: ['renovate[bot]', 'renovate-bot'], emails: ['bot@renovateapp.com'], names: ['renovate[bot]', 'Renovate Bot'] }),
    bot('github-actions', {
      logins: ['github-actions[bot]', 'github-actions'],
      emails: ['action@github.com', 'actions@github.com', 'github-actions@github.com'],
      names: ['github-actions[bot]', 'GitHub Action', 'GitHub Actions'],
    }),
    bot('coderabbit', { logins: ['coderabbitai[bot]', 'coderabbitai'], names: ['coderabbitai[bot]'] }),
    bot('copilot-reviewer', { logins: ['copilot-pull-request-reviewer[bot]', 'copilot-pull-request-reviewer'] }),
    bot('pre-commit-ci', { logins: ['pre-commit-ci[bot]'], names: ['pre-commit-ci[bot]'] }),
    bot('semantic-release', { logins: ['semantic-release-bot'], emails: ['semantic-release-bot@martynus.net'], names: ['semantic-release-bot'] }),
    bot('release-please', { logins: ['release-please[bot]'], names: ['release-please[bot]'] }),
    bot('mergify', { logins: ['mergify[bot]'], names: ['mergify[bot]'] }),
    bot('snyk', { logins: ['snyk-bot'], emails: ['snyk-bot@snyk.io'], names: ['snyk-bot'] }),
    bot('codecov', { logins: ['codecov[bot]', 'codecov-commenter'] }),
    bot('imgbot', { logins: ['imgbot[bot]', 'ImgBotApp'], emails: ['imgbothelp@gmail.com'], names: ['ImgBotApp'] }),
    bot('allcontributors', { logins: ['allcontributors[bot]'] }),
    bot('sonarcloud', { logins: ['sonarcloud[bot]', 'sonarqubecloud[bot]'] }),
    bot('qodo-merge', { logins: ['qodo-merge-pro[bot]', 'qodo-code-review[bot]', 'qodo-merge[bot]'] }),
  ],
};

// Config input: only `name` is required; lists are optional and merged into an existing entry of the same name.
const nameList = z.array(z.string().trim().min(1).max(200)).max(500).default([]);
const agentInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'agent names are lower-case letters, digits, ".", "_" or "-"'),
  logins: nameList,
  emails: nameList,
  names: nameList,
  aliases: nameList,
  branchPrefixes: nameList,
  gitAiTools: nameList,
  githubIds: z.array(z.number().int().positive()).max(500).default([]),
  trailerKeys: z.array(z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'trailer keys are letters, digits and "-"')).max(500).default([]),
});
const botInputSchema = z.object({
  name: z.string().trim().min(1).max(64),
  logins: nameList,
  emails: nameList,
  names: nameList,
});
export const catalogExtensionSchema = z.object({
  agents: z.array(agentInputSchema).max(500).default([]),
  bots: z.array(botInputSchema).max(500).default([]),
});
export type CatalogExtension = z.input<typeof catalogExtensionSchema>;

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * Returns a new catalog with `extra` added. An agent or bot whose name already exists gets its
 * lists merged; new names are appended. Throws GraspError('invalid') on malformed config.
 */
export function extendCatalog(base: AgentCatalog, extra: CatalogExtension): AgentCatalog {
  const parsed = catalogExtensionSchema.safeParse(extra);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new GraspError('invalid', `invalid agent catalog extension${where}: ${issue?.message ?? 'malformed'}`);
  }
  const agents = base.agents.map((a) => ({ ...a }));
  for (const add of parsed.data.agents) {
    const existing = agents.find((a) => a.name === add.name);
    if (!existing) {
      agents.push({ ...add });
      continue;
    }
    for (const key of ['logins', 'emails', 'names', 'aliases', 'branchPrefixes', 'gitAiTools', 'trailerKeys'] as const) {
      existing[key] = union(existing[key], add[key]);
    }
    existing.githubIds = [...new Set([...existing.githubIds, ...add.githubIds])];
  }
  const bots = base.bots.map((b) => ({ ...b }));
  for (const add of parsed.data.bots) {
    const existing = bots.find((b) => b.name === add.name);
    if (!existing) {
      bots.push({ ...add });
      continue;
    }
    for (const key of ['logins', 'emails', 'names'] as const) existing[key] = union(existing[key], add[key]);
  }
  return { agents, bots };
}

/** Lower-cased lookup tables built once per catalog object. */
export interface CatalogIndex {
  agentByLogin: Map<string, string>;
  agentByEmail: Map<string, string>;
  agentByName: Map<string, string>;
  agentByAlias: Map<string, string>;
  agentByTool: Map<string, string>;
  agentById: Map<number, string>;
  agentByTrailerKey: Map<string, string>;
  branchPrefixes: { prefix: string; agent: string }[];
  botByLogin: Map<string, string>;
  botByEmail: Map<string, string>;
  botByName: Map<string, string>;
  agentNames: Set<string>;
}

const indexCache = new WeakMap<AgentCatalog, CatalogIndex>();

export function catalogIndex(catalog: AgentCatalog): CatalogIndex {
  const cached = indexCache.get(catalog);
  if (cached) return cached;
  const index: CatalogIndex = {
    agentByLogin: new Map(),
    agentByEmail: new Map(),
    agentByName: new Map(),
    agentByAlias: new Map(),
    agentByTool: new Map(),
    agentById: new Map(),
    agentByTrailerKey: new Map(),
    branchPrefixes: [],
    botByLogin: new Map(),
    botByEmail: new Map(),
    botByName: new Map(),
    agentNames: new Set(),
  };
  // First definition wins on a clash, so the built-in order stays stable when config adds look-alikes.
  const put = (map: Map<string, string>, key: string, value: string) => {
    const k = key.trim().toLowerCase();
    if (k && !map.has(k)) map.set(k, value);
  };
  for (const a of catalog.agents) {
    index.agentNames.add(a.name);
    put(index.agentByTool, a.name, a.name);
    a.logins.forEach((v) => put(index.agentByLogin, v, a.name));
    a.emails.forEach((v) => put(index.agentByEmail, v, a.name));
    a.names.forEach((v) => put(index.agentByName, v, a.name));
    a.aliases.forEach((v) => put(index.agentByAlias, v, a.name));
    a.gitAiTools.forEach((v) => put(index.agentByTool, v, a.name));
    a.trailerKeys.forEach((v) => put(index.agentByTrailerKey, v, a.name));
    for (const id of a.githubIds) if (!index.agentById.has(id)) index.agentById.set(id, a.name);
    for (const p of a.branchPrefixes) index.branchPrefixes.push({ prefix: p.toLowerCase(), agent: a.name });
  }
  for (const b of catalog.bots) {
    b.logins.forEach((v) => put(index.botByLogin, v, b.name));
    b.emails.forEach((v) => put(index.botByEmail, v, b.name));
    b.names.forEach((v) => put(index.botByName, v, b.name));
  }
  // Longest prefix first so `openhands-fix-` beats a shorter look-alike.
  index.branchPrefixes.sort((x, y) => y.prefix.length - x.prefix.length);
  indexCache.set(catalog, index);
  return index;
}

/**
 * Canonical agent name for a git-ai `agent_id.tool` value or a product alias
 * ('claude-code' → 'claude', 'github-copilot' → 'copilot'). Unknown tools keep their
 * lower-cased name so new agents still count as agents.
 */
export function canonicalAgentName(toolOrAlias: string, catalog: AgentCatalog = DEFAULT_CATALOG): string {
  const key = toolOrAlias.trim().toLowerCase();
  const index = catalogIndex(catalog);
  return index.agentByTool.get(key) ?? index.agentByAlias.get(key) ?? key;
}

/** The git-ai tool name to write for a canonical agent (first listed tool), for fixtures. */
export function gitAiToolFor(agentName: string, catalog: AgentCatalog = DEFAULT_CATALOG): string {
  return catalog.agents.find((a) => a.name === agentName)?.gitAiTools[0] ?? agentName;
}

/**
 * Commit provenance: was a commit written by an AI coding agent, a human, or non-AI automation?
 *
 * Each signal that fires carries a weight (the probability it is right on its own); signals are
 * combined with a noisy-OR, 1 − Π(1 − wᵢ), treating them as independent witnesses.
 *
 * | signal               | weight | fires when                                                                  |
 * |----------------------|--------|-----------------------------------------------------------------------------|
 * | git-ai-note          | 0.97   | a git-ai note (refs/notes/ai) on the commit names an agent                  |
 * | author-identity      | 0.95   | author login/e-mail/exact name is an agent's (incl. GitHub numeric noreply) |
 * | co-author-trailer    | 0.90   | `Co-authored-by:` trailer whose e-mail/login is an agent's                  |
 * | assisted-by-trailer  | 0.90   | `Assisted-by: AGENT[:MODEL]` trailer                                        |
 * | generated-with-line  | 0.90   | a "🤖 Generated with [Claude Code](…)" signature anywhere in the message     |
 * | aider-author         | 0.90   | author or committer name ends in "(aider)"                                  |
 * | made-with-trailer    | 0.85   | `Made-with:` / `Generated-by:` trailer naming an agent                      |
 * | agent-trailer        | 0.85   | a trailer key only one product writes (`Amp-Thread-ID:`)                    |
 * | committer-identity   | 0.70   | committer is an agent identity                                              |
 * | aider-subject        | 0.60   | subject starts with "aider: "                                               |
 * | pr-author            | 0.60   | the PR was opened by an agent account                                       |
 * | branch-name          | 0.50   | a head branch starts with an agent prefix (`claude/`, `codex/`…)            |
 * | co-author-name       | 0.30   | weak: co-author name is an agent product name but the e-mail is unknown     |
 * | bot-identity         | 0.95   | author is a bot (dependabot, renovate, github-actions, any `[bot]`)         |
 * | bot-pr-author        | 0.80   | the PR was opened by a bot account                                          |
 * | bot-committer        | 0.30   | weak: only the committer is a bot (backports, merge queues)                 |
 *
 * Decision: agent when the combined agent score ≥ 0.5 — except that contextual signals alone
 * (branch-name, pr-author) never override a bot author. Otherwise bot when the bot score ≥ 0.5.
 * Otherwise human, with confidence 0.9 × (1 − combined score of the weak signals that were dismissed).
 */
import { z } from 'zod';
import { DEFAULT_CATALOG, catalogIndex, canonicalAgentName, type AgentCatalog, type CatalogIndex } from './agents.ts';
import { GraspError } from './errors.ts';

export type CommitKind = 'agent' | 'human' | 'bot';
export interface Evidence {
  signal: string;
  detail: string;
  /** Canonical agent (or bot) name the signal points to. */
  agent?: string;
}
export interface ProvenanceInput {
  authorName: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  /** Full message: subject + body + trailers. */
  message: string;
  /** Head branch / PR head ref names unique to the commit's line of work (not every branch that reaches it). */
  branches?: string[];
  prAuthorLogin?: string | null;
  /** Agent tool names from a git-ai note on this commit. */
  gitAiAgents?: string[];
}
export interface Provenance {
  kind: CommitKind;
  agent: string | null;
  confidence: number;
  evidence: Evidence[];
}

export const SIGNAL_WEIGHTS = {
  'git-ai-note': 0.97,
  'author-identity': 0.95,
  'co-author-trailer': 0.9,
  'assisted-by-trailer': 0.9,
  'generated-with-line': 0.9,
  'aider-author': 0.9,
  'made-with-trailer': 0.85,
  'agent-trailer': 0.85,
  'committer-identity': 0.7,
  'aider-subject': 0.6,
  'pr-author': 0.6,
  'branch-name': 0.5,
  'co-author-name': 0.3,
  'bot-identity': 0.95,
  'bot-pr-author': 0.8,
  'bot-committer': 0.3,
} as const;
export type Signal = keyof typeof SIGNAL_WEIGHTS;

export const AGENT_THRESHOLD = 0.5;
export const BOT_THRESHOLD = 0.5;
export const HUMAN_BASE_CONFIDENCE = 0.9;

const BOT_SIGNALS = new Set<Signal>(['bot-identity', 'bot-pr-author', 'bot-committer']);
const CONTEXT_SIGNALS = new Set<Signal>(['branch-name', 'pr-author']);

const inputSchema = z.object({
  authorName: z.string(),
  authorEmail: z.string(),
  committerName: z.string(),
  committerEmail: z.string(),
  message: z.string(),
  branches: z.array(z.string()).optional(),
  prAuthorLogin: z.string().nullable().optional(),
  gitAiAgents: z.array(z.string()).optional(),
});

// ---------------------------------------------------------------- trailers

export interface Trailer {
  key: string;
  value: string;
  /** The trailer as written (continuation lines joined by a space). */
  text: string;
}

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;
// Keys that make a mixed last paragraph count as a trailer block (git's rule needs a recognized one).
const RECOGNIZED_KEYS = new Set(['signed-off-by', 'co-authored-by', 'assisted-by', 'made-with', 'generated-by', 'reviewed-by']);

/**
 * The trailer block of a commit message, as git sees it: the last paragraph (never the subject
 * paragraph) in which every line is a `Key: value` trailer or an indented continuation — or, as git
 * allows, at least 25% trailers including a recognized key.
 */
export function parseTrailers(message: string): Trailer[] {
  const lines = message.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  let start = lines.length;
  while (start > 0 && lines[start - 1]!.trim() !== '') start--;
  if (start === 0) return []; // one paragraph: it's the subject, not trailers
  const trailers: Trailer[] = [];
  let otherLines = 0;
  for (const line of lines.slice(start)) {
    const continuation = /^[ \t]/.test(line) && trailers.length > 0;
    const m = continuation ? null : TRAILER_LINE.exec(line);
    if (continuation) {
      const last = trailers[trailers.length - 1]!;
      last.value = `${last.value} ${line.trim()}`.trim();
      last.text = `${last.text} ${line.trim()}`;
    } else if (m) {
      trailers.push({ key: m[1]!, value: m[2]!.trim(), text: line.trim() });
    } else {
      otherLines++;
    }
  }
  if (otherLines === 0) return trailers;
  const total = trailers.length + otherLines;
  const recognized = trailers.some((t) => RECOGNIZED_KEYS.has(t.key.toLowerCase()));
  return recognized && trailers.length * 4 >= total ? trailers : [];
}

// ---------------------------------------------------------------- identities

const NOREPLY = /^(?:(\d+)\+)?([^@\s]+)@users\.noreply\.github\.com$/i;

/** `198982749+Copilot@users.noreply.github.com` → `copilot` (lower-cased), else null. */
export function noreplyLogin(email: string): string | null {
  const m = NOREPLY.exec(email.trim());
  return m ? m[2]!.toLowerCase() : null;
}

/** `198982749+Copilot@users.noreply.github.com` → 198982749, else null. */
export function noreplyId(email: string): number | null {
  const m = NOREPLY.exec(email.trim());
  return m?.[1] ? Number(m[1]) : null;
}

/** `Name <email>` → parts; a bare value is taken as a name. */
export function parsePerson(value: string): { name: string; email: string } {
  const m = /^(.*?)\s*<([^<>]*)>\s*$/.exec(value.trim());
  return m ? { name: m[1]!.trim(), email: m[2]!.trim() } : { name: value.trim(), email: '' };
}

function agentForIdentity(name: string, email: string, idx: CatalogIndex): string | null {
  const mail = email.trim().toLowerCase();
  const login = noreplyLogin(mail);
  if (login && idx.agentByLogin.has(login)) return idx.agentByLogin.get(login)!;
  // The numeric id names the app account even when its login was renamed.
  const id = noreplyId(mail);
  if (id !== null && idx.agentById.has(id)) return idx.agentById.get(id)!;
  if (mail && idx.agentByEmail.has(mail)) return idx.agentByEmail.get(mail)!;
  const n = name.trim().toLowerCase();
  if (idx.agentByName.has(n)) return idx.agentByName.get(n)!;
  if (n.endsWith('[bot]') && idx.agentByLogin.has(n)) return idx.agentByLogin.get(n)!;
  return null;
}

function botForIdentity(name: string, email: string, idx: CatalogIndex): string | null {
  const mail = email.trim().toLowerCase();
  const login = noreplyLogin(mail);
  if (login && idx.botByLogin.has(login)) return idx.botByLogin.get(login)!;
  if (mail && idx.botByEmail.has(mail)) return idx.botByEmail.get(mail)!;
  const n = name.trim().toLowerCase();
  if (idx.botByName.has(n)) return idx.botByName.get(n)!;
  // Any other GitHub App account is automation unless the catalog says it is an agent.
  if (login?.endsWith('[bot]')) return login.slice(0, -'[bot]'.length);
  if (n.endsWith('[bot]') && n.length > '[bot]'.length) return n.slice(0, -'[bot]'.length);
  return null;
}

const show = (name: string, email: string) => (email ? `${name} <${email}>` : name);

// ---------------------------------------------------------------- signals

interface Hit {
  signal: Signal;
  target: string;
  detail: string;
}

const GENERATED_LINE = /^\s*(?:🤖\s*)?Generated (?:with|by|using) \[?([^\]()\n]+?)\]?(?:\([^)\s]*\))?\s*\.?\s*$/iu;
const AIDER_NAME = /\S\s*\(aider\)\s*$/i;
const BRANCH_REMOTE = /^(?:refs\/heads\/|refs\/remotes\/[^/]+\/|remotes\/[^/]+\/|origin\/)/i;

function collectHits(input: ProvenanceInput, catalog: AgentCatalog, idx: CatalogIndex): Hit[] {
  const hits: Hit[] = [];
  const add = (signal: Signal, target: string, detail: string) => {
    if (!hits.some((h) => h.signal === signal && h.target === target)) hits.push({ signal, target, detail });
  };
  const { authorName, authorEmail, committerName, committerEmail, message } = input;

  for (const agent of input.gitAiAgents ?? []) {
    if (agent.trim()) add('git-ai-note', canonicalAgentName(agent, catalog), `git-ai note agent "${agent}"`);
  }

  const authorAgent = agentForIdentity(authorName, authorEmail, idx);
  if (authorAgent) add('author-identity', authorAgent, show(authorName, authorEmail));
  const committerAgent = agentForIdentity(committerName, committerEmail, idx);
  if (committerAgent) add('committer-identity', committerAgent, show(committerName, committerEmail));
  for (const name of [authorName, committerName]) {
    if (AIDER_NAME.test(name)) add('aider-author', 'aider', name);
  }
  if (!authorAgent) {
    const authorBot = botForIdentity(authorName, authorEmail, idx);
    if (authorBot) add('bot-identity', authorBot, show(authorName, authorEmail));
    else if (!committerAgent) {
      const committerBot = botForIdentity(committerName, committerEmail, idx);
      if (committerBot) add('bot-committer', committerBot, show(committerName, committerEmail));
    }
  }

  for (const t of parseTrailers(message)) {
    const key = t.key.toLowerCase();
    if (key === 'co-authored-by') {
      const p = parsePerson(t.value);
      const agent = agentForIdentity(p.name, p.email, idx);
      if (agent) add('co-author-trailer', agent, t.text);
      else if (idx.agentByAlias.has(p.name.toLowerCase())) add('co-author-name', idx.agentByAlias.get(p.name.toLowerCase())!, t.text);
    } else if (key === 'assisted-by') {
      const agent = assistedByAgent(t.value, catalog, idx);
      if (agent) add('assisted-by-trailer', agent, t.text);
    } else if (key === 'made-with' || key === 'generated-by') {
      const agent = idx.agentByAlias.get(t.value.trim().toLowerCase());
      if (agent) add('made-with-trailer', agent, t.text);
    } else if (idx.agentByTrailerKey.has(key)) {
      add('agent-trailer', idx.agentByTrailerKey.get(key)!, t.text);
    }
  }

  for (const line of message.replace(/\r\n?/g, '\n').split('\n')) {
    const m = GENERATED_LINE.exec(line);
    const agent = m ? idx.agentByAlias.get(m[1]!.trim().toLowerCase()) : undefined;
    if (agent) add('generated-with-line', agent, line.trim());
  }
  for (const s of signatureHits(message, idx)) add(s.signal, s.target, s.detail);
  const subject = message.replace(/^\s+/, '').split('\n', 1)[0] ?? '';
  if (/^aider:\s/i.test(subject)) add('aider-subject', 'aider', subject);

  const personal = personalNames(authorName, authorEmail);
  for (const raw of input.branches ?? []) {
    const branch = raw.trim().replace(BRANCH_REMOTE, '');
    const lower = branch.toLowerCase();
    const match = idx.branchPrefixes.find((p) => lower.startsWith(p.prefix) && lower.length > p.prefix.length);
    // "devin/fix-login" pushed by Devin Smith is a person's branch, not the agent's.
    const owner = match?.prefix.replace(/[^a-z0-9]+$/, '');
    if (match && !personal.has(owner!)) add('branch-name', match.agent, branch);
  }

  const login = input.prAuthorLogin?.trim().toLowerCase();
  if (login) {
    // Exact login only for agents: a person may own the bare login (`claude`) of an app (`claude[bot]`).
    const agent = idx.agentByLogin.get(login);
    const botName = agent
      ? null
      : (idx.botByLogin.get(login) ?? idx.botByLogin.get(`${login}[bot]`) ?? botForIdentity(login, '', idx));
    if (agent) add('pr-author', agent, `PR author ${input.prAuthorLogin!.trim()}`);
    else if (botName) add('bot-pr-author', botName, `PR author ${input.prAuthorLogin!.trim()}`);
  }
  return hits;
}

// The linked form is a product's own signature, so it counts wherever it stands (squashes run lines together).
const SIGNATURE_LINK = /(?:🤖\s*)?Generated (?:with|by|using) \[([^\]\n]{1,60})\]\(https?:\/\/[^)\s]{1,200}\)/giu;
const RUN_IN_CO_AUTHOR = /Co-authored-by:[ \t]*([^<>\n]{0,100}?)[ \t]*<([^<>\s]{1,200})>/giu;
const BULLET_START = /^(?:[ \t]+|[ \t]*[*•-][ \t]+)$/u;

/**
 * Agent signatures outside the trailer block: a linked "Generated with [Product](url)" anywhere, and a
 * `Co-authored-by:` naming an agent's exact address when it starts an indented or bulleted line (a
 * squash lists each commit's trailers that way) or follows such a signature on the same line.
 * A Co-authored-by in running prose stays prose.
 */
function signatureHits(message: string, idx: CatalogIndex): Hit[] {
  const hits: Hit[] = [];
  for (const line of message.replace(/\r\n?/g, '\n').split('\n')) {
    let signatureEnd = -1;
    for (const m of line.matchAll(SIGNATURE_LINK)) {
      const agent = idx.agentByAlias.get(m[1]!.trim().toLowerCase());
      if (agent) hits.push({ signal: 'generated-with-line', target: agent, detail: m[0].trim() });
      signatureEnd = m.index + m[0].length;
    }
    for (const m of line.matchAll(RUN_IN_CO_AUTHOR)) {
      const before = line.slice(0, m.index);
      const placed = BULLET_START.test(before) || (signatureEnd >= 0 && signatureEnd <= m.index && line.slice(signatureEnd, m.index).trim() === '');
      if (!placed) continue;
      const agent = agentForIdentity(m[1]!, m[2]!, idx);
      if (agent) hits.push({ signal: 'co-author-trailer', target: agent, detail: m[0].trim() });
    }
  }
  return hits;
}

/** `Claude:claude-3-opus` or `GitHub Copilot`: known product names, or any TOOL:MODEL pair. */
function assistedByAgent(value: string, catalog: AgentCatalog, idx: CatalogIndex): string | null {
  if (value.includes('<')) return null; // `Name <email>` credits a person
  const [tool = '', ...model] = value.split(':');
  const known = idx.agentByAlias.get(tool.trim().toLowerCase()) ?? idx.agentByTool.get(tool.trim().toLowerCase());
  if (known) return known;
  const name = tool.trim();
  return model.join(':').trim() && /^[A-Za-z][\w .-]{0,40}$/.test(name) ? canonicalAgentName(name, catalog) : null;
}

/** Lower-cased first name and e-mail local part of the author, to spot personal branch prefixes. */
function personalNames(name: string, email: string): Set<string> {
  const out = new Set<string>();
  const first = name.trim().toLowerCase().split(/\s+/)[0];
  if (first) out.add(first);
  const local = email.trim().toLowerCase().split('@')[0]?.split(/[.+_-]/)[0];
  if (local) out.add(local);
  return out;
}

// ---------------------------------------------------------------- decision

function noisyOr(weights: number[]): number {
  return 1 - weights.reduce((p, w) => p * (1 - w), 1);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function classifyCommit(input: ProvenanceInput, catalog: AgentCatalog = DEFAULT_CATALOG): Provenance {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GraspError('invalid', `invalid commit for classification: ${issue?.path.join('.') || 'input'} ${issue?.message ?? ''}`.trim());
  }
  const idx = catalogIndex(catalog);
  const hits = collectHits(parsed.data, catalog, idx);
  const evidence: Evidence[] = hits.map((h) => ({ signal: h.signal, detail: h.detail, agent: h.target }));

  const agentHits = hits.filter((h) => !BOT_SIGNALS.has(h.signal));
  const botHits = hits.filter((h) => BOT_SIGNALS.has(h.signal));
  const agentScore = noisyOr(agentHits.map((h) => SIGNAL_WEIGHTS[h.signal]));
  const botScore = noisyOr(botHits.map((h) => SIGNAL_WEIGHTS[h.signal]));
  const botAuthor = botHits.some((h) => h.signal === 'bot-identity');
  const contentEvidence = agentHits.some((h) => !CONTEXT_SIGNALS.has(h.signal));

  if (agentScore >= AGENT_THRESHOLD && (contentEvidence || !botAuthor)) {
    return { kind: 'agent', agent: strongestAgent(agentHits), confidence: round(agentScore), evidence };
  }
  if (botScore >= BOT_THRESHOLD) {
    return { kind: 'bot', agent: null, confidence: round(botScore), evidence };
  }
  const dismissed = noisyOr(hits.map((h) => SIGNAL_WEIGHTS[h.signal]));
  return { kind: 'human', agent: null, confidence: round(HUMAN_BASE_CONFIDENCE * (1 - dismissed)), evidence };
}

/** The agent with the highest combined weight; ties go to the strongest single signal, then the name (order-independent). */
function strongestAgent(hits: Hit[]): string {
  const byAgent = new Map<string, number[]>();
  for (const h of hits) byAgent.set(h.target, [...(byAgent.get(h.target) ?? []), SIGNAL_WEIGHTS[h.signal]]);
  let best: { agent: string; score: number; top: number } | null = null;
  for (const [agent, weights] of byAgent) {
    const score = noisyOr(weights);
    const top = Math.max(...weights);
    const tie = Math.abs(score - (best?.score ?? -1)) <= 1e-12;
    if (!best || (!tie && score > best.score) || (tie && (top > best.top || (top === best.top && agent < best.agent)))) {
      best = { agent, score, top };
    }
  }
  return best!.agent;
}

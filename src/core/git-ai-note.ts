/**
 * git-ai authorship notes (refs/notes/ai, schema `authorship/3.x`, the "Git AI Standard v3.0.0").
 *
 *   src/main.ts                      ← file path at column 0; quoted when it contains whitespace
 *     d9978a8723e02b52 1-4,9,12-20   ← two-space indent, session key, line ranges (new side of the commit)
 *     s_c9883b05a2487d::t_9f8e7d6c5b4a32 30-31
 *   ---                              ← divider, exactly "---"
 *   { "schema_version": "authorship/3.0.0", "prompts": { "<key>": { "agent_id": { "tool", "id", "model" } } },
 *     "sessions": { "s_…": { "agent_id": … } }, "humans": { "h_…": … } }
 *
 * Keys resolve by prefix: `s_…::t_…` → `sessions[s_…]` (the trace id is dropped), `h_…` → `humans`
 * (lines a known human wrote: agent null), anything else → `prompts`.
 */
import { z } from 'zod';
import { DEFAULT_CATALOG, canonicalAgentName, gitAiToolFor, type AgentCatalog } from './agents.ts';
import { GraspError } from './errors.ts';
import { formatRanges, normalizeRanges, parseRanges, rangesLineCount, type Range } from './ranges.ts';

export interface GitAiSession {
  /** Canonical agent name; null for a human (`h_`) key. */
  agent: string | null;
  model: string | null;
}
export interface GitAiFile {
  path: string;
  sessions: { session: string; ranges: Range[] }[];
}
export interface GitAiNote {
  schemaVersion: string | null;
  files: GitAiFile[];
  sessions: Record<string, GitAiSession>;
}

const DIVIDER = '---';
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
const UNKNOWN_AGENT = 'unknown';

const agentRecordSchema = z.looseObject({
  agent_id: z.looseObject({
    tool: z.string(),
    model: z.string().nullable().optional(),
  }),
});
const metadataSchema = z.looseObject({
  schema_version: z.string().optional(),
  prompts: z.record(z.string(), z.unknown()).optional(),
  sessions: z.record(z.string(), z.unknown()).optional(),
  humans: z.record(z.string(), z.unknown()).optional(),
});

function fail(message: string): never {
  throw new GraspError('invalid', `invalid git-ai note: ${message}`);
}

const preview = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** Parses a git-ai note; throws GraspError('invalid') naming the line when it is malformed. */
export function parseGitAiNote(text: string, catalog: AgentCatalog = DEFAULT_CATALOG): GitAiNote {
  if (typeof text !== 'string') fail('expected text');
  if (text.trim() === '') fail('the note is empty');
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const divider = lines.findIndex((l) => l.trimEnd() === DIVIDER);
  if (divider < 0) fail(`no "${DIVIDER}" line separating the attestations from the JSON metadata`);

  const files = parseAttestations(lines.slice(0, divider));
  const metadata = parseMetadata(lines.slice(divider + 1), divider + 2);
  return { schemaVersion: metadata.schemaVersion, files, sessions: resolveSessions(files, metadata, catalog) };
}

function parseAttestations(lines: string[]): GitAiFile[] {
  const files: GitAiFile[] = [];
  let current: GitAiFile | null = null;
  let currentLine = 0;
  const closeFile = () => {
    if (current && current.sessions.length === 0) fail(`line ${currentLine}: file ${preview(current.path)} has no attestation lines`);
  };
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === '') return;
    if (/^\s/.test(line)) {
      if (!current) fail(`line ${lineNo}: attestation line before any file path`);
      const m = /^(\S+)\s+(\S.*?)\s*$/.exec(line.trim());
      if (!m) fail(`line ${lineNo}: expected "<session> <line ranges>", got ${preview(line.trim())}`);
      const [, key, rangeText] = m;
      if (!KEY.test(key!)) fail(`line ${lineNo}: malformed session key ${preview(key!)}`);
      let ranges: Range[];
      try {
        ranges = parseRanges(rangeText!);
      } catch {
        fail(`line ${lineNo}: malformed line ranges ${preview(rangeText!)}`);
      }
      const session = key!.split('::')[0]!;
      if (!session) fail(`line ${lineNo}: empty session key ${preview(key!)}`);
      const entry = current.sessions.find((s) => s.session === session);
      if (entry) entry.ranges = normalizeRanges([...entry.ranges, ...ranges]);
      else current.sessions.push({ session, ranges });
      return;
    }
    closeFile();
    const path = parsePath(line.trimEnd(), lineNo);
    current = files.find((f) => f.path === path) ?? null;
    if (!current) files.push((current = { path, sessions: [] }));
    currentLine = lineNo;
  });
  closeFile();
  return files;
}

function parsePath(raw: string, lineNo: number): string {
  if (raw.startsWith('"')) {
    if (raw.length < 3 || !raw.endsWith('"')) fail(`line ${lineNo}: unterminated quoted file path ${preview(raw)}`);
    return raw.slice(1, -1);
  }
  if (/\s/.test(raw)) fail(`line ${lineNo}: file path with whitespace must be quoted: ${preview(raw)}`);
  return raw;
}

interface Metadata {
  schemaVersion: string | null;
  prompts: Record<string, unknown>;
  sessions: Record<string, unknown>;
  humans: Record<string, unknown>;
}

function parseMetadata(lines: string[], firstLineNo: number): Metadata {
  const json = lines.join('\n');
  if (json.trim() === '') fail(`line ${firstLineNo}: missing JSON metadata after "${DIVIDER}"`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    fail(`line ${firstLineNo}: metadata is not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`line ${firstLineNo}: metadata must be a JSON object`);
  const parsed = metadataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`metadata field "${issue.path.join('.')}": ${issue.message}`);
  }
  const version = parsed.data.schema_version ?? null;
  if (version !== null && !/^authorship\/3(\.|$)/.test(version)) {
    fail(`unsupported schema_version ${preview(version)} (expected authorship/3.x)`);
  }
  // Read maps from the raw JSON (own properties) so odd keys such as "__proto__" stay plain keys.
  const obj = raw as Record<string, unknown>;
  const map = (name: string) => (obj[name] && typeof obj[name] === 'object' ? (obj[name] as Record<string, unknown>) : {});
  return { schemaVersion: version, prompts: map('prompts'), sessions: map('sessions'), humans: map('humans') };
}

function resolveSessions(files: GitAiFile[], meta: Metadata, catalog: AgentCatalog): Record<string, GitAiSession> {
  const out: Record<string, GitAiSession> = Object.create(null);
  const agentRecord = (where: string, key: string, value: unknown): GitAiSession => {
    const parsed = agentRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      fail(`metadata ${where}.${key}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
    }
    const { tool, model } = parsed.data.agent_id;
    return {
      agent: tool.trim() ? canonicalAgentName(tool, catalog) : UNKNOWN_AGENT,
      model: model && model.trim() && model.trim().toLowerCase() !== 'unknown' ? model.trim() : null,
    };
  };
  const lookup = (key: string): GitAiSession | null => {
    const order: ('prompts' | 'sessions' | 'humans')[] = key.startsWith('s_')
      ? ['sessions', 'prompts', 'humans']
      : key.startsWith('h_')
        ? ['humans', 'sessions', 'prompts']
        : ['prompts', 'sessions', 'humans'];
    for (const where of order) {
      if (!Object.hasOwn(meta[where], key)) continue;
      return where === 'humans' ? { agent: null, model: null } : agentRecord(where, key, meta[where][key]);
    }
    return null;
  };
  const keys = [
    ...Object.keys(meta.prompts),
    ...Object.keys(meta.sessions),
    ...Object.keys(meta.humans),
    ...files.flatMap((f) => f.sessions.map((s) => s.session)),
  ];
  for (const key of keys) {
    if (Object.hasOwn(out, key)) continue;
    // A key with no metadata record still marks AI-written lines (humans are always declared).
    out[key] = lookup(key) ?? { agent: UNKNOWN_AGENT, model: null };
  }
  return out;
}

/** Rows for `ai_lines`: one per (file, session) whose session is an agent (human `h_` keys left out). */
export function agentLineRows(note: GitAiNote): { path: string; session: string; agent: string; model: string | null; ranges: Range[] }[] {
  const rows: ReturnType<typeof agentLineRows> = [];
  for (const file of note.files) {
    for (const { session, ranges } of file.sessions) {
      const info = note.sessions[session];
      if (info?.agent && ranges.length) rows.push({ path: file.path, session, agent: info.agent, model: info.model, ranges });
    }
  }
  return rows;
}

/** Distinct agents that own at least one line (git-ai also attaches notes to human-only commits). */
export function gitAiNoteAgents(note: GitAiNote): string[] {
  return [...new Set(agentLineRows(note).map((r) => r.agent))];
}

export interface FormatOptions {
  baseCommitSha?: string;
  gitAiVersion?: string;
  catalog?: AgentCatalog;
}

/** Writes a note in git-ai's format (for fixtures and tests); throws GraspError on unrepresentable input. */
export function formatGitAiNote(note: GitAiNote, opts: FormatOptions = {}): string {
  const catalog = opts.catalog ?? DEFAULT_CATALOG;
  const out: string[] = [];
  const linesBySession = new Map<string, number>();
  for (const file of note.files) {
    if (!file.path || /[\n\r"]/.test(file.path)) fail(`cannot write file path ${preview(file.path)}`);
    const entries = file.sessions.filter((s) => s.ranges.length > 0);
    if (!entries.length) continue;
    out.push(/\s/.test(file.path) || file.path === DIVIDER ? `"${file.path}"` : file.path);
    for (const { session, ranges } of entries) {
      if (!KEY.test(session) || session.includes('::')) fail(`cannot write session key ${preview(session)}`);
      out.push(`  ${session} ${formatRanges(ranges)}`);
      linesBySession.set(session, (linesBySession.get(session) ?? 0) + rangesLineCount(normalizeRanges(ranges)));
    }
  }
  const prompts: Record<string, unknown> = Object.create(null);
  const sessions: Record<string, unknown> = Object.create(null);
  const humans: Record<string, unknown> = Object.create(null);
  for (const [key, info] of Object.entries(note.sessions)) {
    if (!KEY.test(key) || key.includes('::')) fail(`cannot write session key ${preview(key)}`);
    if (info.agent === null) {
      humans[key] = { author: 'Human <human@example.com>' };
      continue;
    }
    const agentId = { tool: gitAiToolFor(info.agent, catalog), id: `conversation-${key}`, model: info.model ?? 'unknown' };
    if (key.startsWith('s_')) sessions[key] = { agent_id: agentId };
    else {
      const accepted = linesBySession.get(key) ?? 0;
      prompts[key] = {
        agent_id: agentId,
        human_author: null,
        messages: [],
        total_additions: accepted,
        total_deletions: 0,
        accepted_lines: accepted,
        overriden_lines: 0,
      };
    }
  }
  const metadata: Record<string, unknown> = {};
  if (note.schemaVersion !== null) metadata.schema_version = note.schemaVersion;
  metadata.git_ai_version = opts.gitAiVersion ?? '1.0.0';
  metadata.base_commit_sha = opts.baseCommitSha ?? '';
  metadata.prompts = prompts;
  if (Object.keys(sessions).length) metadata.sessions = sessions;
  if (Object.keys(humans).length) metadata.humans = humans;
  return `${[...out, DIVIDER].join('\n')}\n${JSON.stringify(metadata, null, 2)}\n`;
}

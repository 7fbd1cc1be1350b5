/**
 * The merge gate's policy: `.github/grasp.yml` (or `--policy FILE`), parsed with `yaml` and checked
 * with zod. Every error names the key (and its line) so the fix is obvious. The defaults are the
 * README's "default policy".
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { FLAG_CODES } from '../checklist/types.ts';
import { MARK_LEVELS } from '../core/marks.ts';
import { CiProblem } from './problem.ts';

export const DEFAULT_POLICY_PATH = '.github/grasp.yml';
export const MAX_POLICY_BYTES = 64 * 1024;

const flagCode = z.enum(FLAG_CODES, { error: (i) => `unknown flag code ${JSON.stringify(i.input)} (one of ${FLAG_CODES.join(', ')})` });
const glob = z.string().min(1).max(500);

export const policySchema = z.strictObject({
  /** The level a gated item needs from at least one engineer. */
  require: z.enum(MARK_LEVELS, { error: (i) => `unknown level ${JSON.stringify(i.input)} (one of ${MARK_LEVELS.join(', ')})` }).default('reviewed'),
  /** Items carrying any of these flags are gated; `unreviewed-agent-code` selects every item with agent-written lines. */
  flags: z.array(flagCode).max(FLAG_CODES.length * 2).default(['unreviewed-agent-code', 'security']),
  /** Items carrying any of these flags need `explained` (whatever `require` says). */
  explained: z.array(flagCode).max(FLAG_CODES.length * 2).default([]),
  /** Fail when the PR's agent-written code nobody understands weighs more than this (null: no limit). */
  'max-debt': z.number().finite().min(0).nullable().default(null),
  /** Fail when less than this share (0-1) of the PR's agent-written weight is understood (null: no limit). */
  'min-coverage': z.number().min(0).max(1).nullable().default(null),
  /** Paths (globs) whose items never gate: generated code, fixtures, docs. */
  ignore: z.array(glob).max(500).default([]),
  /** Exit 1 (and conclude the check run as failure) when the gate fails; else the check is neutral. */
  enforce: z.boolean().default(false),
});

export type Policy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** Parses policy YAML; `source` names the file in messages. Empty text is the default policy. */
export function parsePolicy(text: string, source: string): Policy {
  const fix = `fix ${source} (keys: ${Object.keys(policySchema.shape).join(', ')}; see the README's "Policy" section)`;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    throw new CiProblem('invalid', `${source}${at ? ` line ${at.line}` : ''}: not valid YAML (${oneLine(first.message)})`, fix);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 50 }) ?? {};
  const parsed = policySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = issue.path.length > 0 ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
  const node = issue.path.length > 0 ? doc.getIn(issue.path as (string | number)[], true) : null;
  const range = (node as { range?: [number, number, number] } | null)?.range;
  const line = range ? ` line ${lines.linePos(range[0]).line}` : '';
  const message = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
  throw new CiProblem('invalid', `${source}${line}: ${key}: ${oneLine(message)}`, fix);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

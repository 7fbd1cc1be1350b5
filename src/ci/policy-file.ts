/** Reading the policy file from the checkout (Node only; the Worker's gate route takes the policy in the body). */
import { readFileSync } from 'node:fs';
import { CiProblem } from './problem.ts';
import { DEFAULT_POLICY, DEFAULT_POLICY_PATH, MAX_POLICY_BYTES, parsePolicy, type Policy } from './policy.ts';

/**
 * The policy to use: `--policy FILE` (must exist), else `<workspace>/.github/grasp.yml` when it
 * exists, else the default policy.
 */
export function loadPolicy(opts: { file?: string; workspace: string }): { policy: Policy; source: string } {
  const explicit = opts.file !== undefined;
  const path = opts.file ?? `${opts.workspace.replace(/\/+$/, '')}/${DEFAULT_POLICY_PATH}`;
  const label = explicit ? opts.file! : DEFAULT_POLICY_PATH;
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_POLICY_BYTES) throw new CiProblem('too-large', `${label} is ${buf.length} bytes; a policy is at most ${MAX_POLICY_BYTES}`, `shorten ${label}`);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof CiProblem) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (!explicit && code === 'ENOENT') return { policy: DEFAULT_POLICY, source: 'default policy' };
    throw new CiProblem('invalid', `cannot read the policy ${label} (${code ?? 'unreadable'})`, explicit ? 'give --policy an existing YAML file' : `make ${label} a readable file`);
  }
  return { policy: parsePolicy(text, label), source: label };
}

/**
 * action.yml is what a team's workflow runs: every input it declares reaches the command, every
 * output it declares is one the command writes, and the install and run steps are the documented ones.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; run: string; env?: Record<string, string> }[] };
};
const steps = action.runs.steps;
const scripts = steps.map((s) => `${s.run}\n${Object.values(s.env ?? {}).join('\n')}`).join('\n');

describe('action.yml', () => {
  it('is a composite action that installs from its own checkout and runs grasp ci github', () => {
    expect(action.runs.using).toBe('composite');
    expect(steps[0]!.run).toContain('cd "$GITHUB_ACTION_PATH" && npm ci --no-audit --no-fund');
    expect(steps.at(-1)!.run).toContain('node "$GITHUB_ACTION_PATH/bin/grasp.mjs" "${args[@]}"');
    expect(steps.at(-1)!.run).toContain('args=(ci github');
  });

  it('uses every input it declares', () => {
    for (const name of Object.keys(action.inputs)) {
      const ref = `inputs.${name}`;
      expect(scripts, `input ${name}`).toContain(ref);
      // The env variable the step sets from the input must be read by the script.
      const env = Object.entries(steps.at(-1)!.env ?? {}).find(([, v]) => v.includes(`\${{ ${ref} }}`));
      expect(env, `input ${name} has no env variable`).toBeDefined();
      if (!['GITHUB_TOKEN', 'GRASP_PUSH_TOKEN'].includes(env![0])) expect(steps.at(-1)!.run, `input ${name}`).toContain(`$${env![0]}`);
    }
  });

  it('declares exactly the outputs grasp ci github writes, from the step that writes them', () => {
    const id = steps.at(-1)!.id!;
    const written = readFileSync(join(ROOT, 'src/ci/run.ts'), 'utf8');
    for (const [name, out] of Object.entries(action.outputs)) {
      expect(out.value).toBe(`\${{ steps.${id}.outputs.${name} }}`);
      expect(written, `output ${name}`).toMatch(new RegExp(`'?${name}'?: `));
    }
    expect(Object.keys(action.outputs).sort()).toEqual(['debt', 'effort-minutes', 'gate', 'unreviewed']);
  });

  it('every CLI option the step passes exists on the command', () => {
    const cli = ['src/cli/commands/ci.ts', 'src/cli/context.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    for (const flag of steps.at(-1)!.run.match(/--[a-z-]+/g) ?? []) expect(cli, flag).toContain(`'${flag}`);
  });
});

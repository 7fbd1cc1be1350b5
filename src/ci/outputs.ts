/** Writing the step's outputs (GITHUB_OUTPUT) and job summary (GITHUB_STEP_SUMMARY) the runner collects. */
import { appendFileSync } from 'node:fs';
import { CiProblem } from './problem.ts';

export type StepOutputs = Record<string, string | number>;

/** `name=value` lines; values are ours (numbers and words), never multi-line. */
export function formatOutputs(outputs: StepOutputs): string {
  return Object.entries(outputs)
    .map(([k, v]) => {
      const value = String(v);
      if (!/^[a-z][a-z0-9-]*$/.test(k) || /[\r\n]/.test(value)) throw new Error(`bad step output ${k}`);
      return `${k}=${value}\n`;
    })
    .join('');
}

function append(path: string, text: string, variable: string): void {
  try {
    appendFileSync(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unwritable';
    throw new CiProblem('invalid', `cannot write ${variable}=${path} (${code})`, `${variable} must name a writable file (the runner sets it)`);
  }
}

export function writeOutputs(path: string | null, outputs: StepOutputs): void {
  if (path) append(path, formatOutputs(outputs), 'GITHUB_OUTPUT');
}

/** Appends to the job summary, or prints it when not on a runner. */
export function writeSummary(path: string | null, markdown: string): void {
  if (path) append(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'GITHUB_STEP_SUMMARY');
  else process.stdout.write(markdown);
}

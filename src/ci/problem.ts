/**
 * A CI failure the user can fix: a GraspError (one line on stderr, exit 2 unless GitHub failed)
 * that also says what to change, for the job summary.
 */
import { GraspError, type ErrorCode } from '../core/errors.ts';

export class CiProblem extends GraspError {
  /** What to change so the next run works (Markdown-safe text we wrote ourselves). */
  readonly fix: string;
  constructor(code: ErrorCode, message: string, fix: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CiProblem';
    this.fix = fix;
  }
}

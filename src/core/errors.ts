/**
 * The one error class for expected failures (bad input, unknown names, refused access).
 * `code` is stable and machine-readable; `status` maps to HTTP; the CLI prints `message`.
 */
export type ErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'too-large'
  | 'conflict'
  | 'unprocessable'
  | 'busy'
  | 'not-a-repository'
  | 'git-failed'
  | 'github-failed';

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'too-large': 413,
  conflict: 409,
  /** Well-formed but refused as a whole: e.g. an Idempotency-Key reused with a different body. */
  unprocessable: 422,
  /** The database stayed locked by another writer (e.g. an ingest) past the wait: retry. */
  busy: 503,
  'not-a-repository': 400,
  'git-failed': 500,
  'github-failed': 502,
};

export class GraspError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options);
    this.name = 'GraspError';
    this.code = code;
    this.status = STATUS[code];
    this.exitCode = options?.exitCode ?? (code === 'git-failed' || code === 'github-failed' ? 3 : 2);
  }
}

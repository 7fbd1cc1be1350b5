/**
 * Every error leaves the API as JSON `{ "error": { "code", "message" } }` with the status of its
 * code. Expected failures are GraspErrors; hono's own (malformed JSON, body limit) and zod's are
 * mapped; anything else is a real 500, logged, with no internals in the response.
 */
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { GraspError, type ErrorCode } from '../core/errors.ts';

export interface ErrorBody {
  error: { code: ErrorCode | 'internal'; message: string };
}

export function errorResponse(c: Context, code: ErrorBody['error']['code'], message: string, status: number): Response {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="grasp"');
  return c.json<ErrorBody>({ error: { code, message } }, status as ContentfulStatusCode);
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'too-large',
  422: 'unprocessable',
};

/** Human-readable summary of zod issues: `level: Invalid option; note: expected string`. */
export function describeZodError(error: unknown, where?: string): string {
  if (error instanceof ZodError || (error && typeof error === 'object' && 'issues' in error)) {
    const issues = (error as ZodError).issues;
    const parts = issues.slice(0, 5).map((i) => {
      const path = i.path.map(String).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    });
    if (issues.length > 5) parts.push(`and ${issues.length - 5} more`);
    return `${where ? `invalid ${where}: ` : ''}${parts.join('; ')}`;
  }
  return `invalid ${where ?? 'input'}`;
}

/** zod-validator hook: a failed validation becomes a 400 GraspError (same JSON shape as every error). */
export function invalidInput(result: { success: boolean; error?: unknown; target: string }): void {
  if (!result.success) {
    const where = result.target === 'json' ? 'body' : result.target === 'param' ? 'path' : result.target;
    throw new GraspError('invalid', describeZodError(result.error, where));
  }
}

export const handleError: ErrorHandler = (err, c) => {
  if (err instanceof GraspError) return errorResponse(c, err.code, err.message, err.status);
  if (err instanceof HTTPException) {
    const code = CODE_BY_STATUS[err.status];
    if (code) return errorResponse(c, code, err.message || defaultMessage(err.status), err.status);
  }
  if (err instanceof ZodError) return errorResponse(c, 'invalid', describeZodError(err), 400);
  console.error(`grasp: ${c.req.method} ${c.req.path} failed:`, err);
  return errorResponse(c, 'internal', 'internal error', 500);
};

function defaultMessage(status: number): string {
  if (status === 413) return 'request body too large';
  if (status === 401) return 'authentication required';
  if (status === 403) return 'forbidden';
  return 'invalid request';
}

export const handleNotFound: NotFoundHandler = (c) => errorResponse(c, 'not-found', `no route ${c.req.method} ${c.req.path}`, 404);

/** Refuses bodies over `maxBytes` with a JSON 413 (checked from Content-Length, or while streaming). */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => errorResponse(c, 'too-large', `request body larger than ${maxBytes} bytes`, 413),
  });
}

/** Validation shared by the CLI and the API for report, hotspots and islands options. */
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';

/**
 * A repository-relative file or directory path: './' and trailing '/' dropped; '' or '.' means
 * the whole repository (undefined). Absolute paths, '..' segments and control characters are refused.
 */
export const scopeSchema = z
  .string()
  .max(1024)
  .transform((s) => s.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, ''))
  .refine((s) => !s.startsWith('/'), 'scope must be relative to the repository root')
  .refine((s) => !s.split('/').includes('..'), 'scope must not contain ".."')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'scope must not contain control characters')
  .transform((s) => (s === '' || s === '.' ? undefined : s));

export const limitSchema = z.coerce.number().int().min(1).max(10_000);

export const REPORT_FORMATS = ['md', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function parseOption<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new GraspError('invalid', `invalid ${what}: ${r.error.issues[0]?.message ?? 'invalid value'}`);
  return r.data;
}

export function parseFormat<F extends string>(value: string | undefined, allowed: readonly F[], fallback: F): F {
  const v = (value ?? fallback).toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw new GraspError('invalid', `unknown format "${value}"; use ${allowed.join(', ')}`);
  return v as F;
}

/** Rounds for output: numbers in JSON are for people and charts, not for further arithmetic. */
export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const isoDate = (sec: number): string => new Date(sec * 1000).toISOString();

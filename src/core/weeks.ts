/**
 * ISO 8601 weeks ("2026-W47"), in UTC: a week runs Monday 00:00 to the next Monday 00:00 UTC,
 * and week 1 of a year is the week holding its first Thursday (so 4 January is always in it).
 * Pure functions; times are epoch seconds like the database.
 */
import { GraspError } from './errors.ts';

export interface IsoWeek {
  year: number;
  week: number;
}

const DAY = 86_400;
const WEEK = 7 * DAY;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** Epoch seconds of Monday 00:00 UTC of week 1 of `year`. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4) / 1000;
  const weekday = (new Date(jan4 * 1000).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - weekday * DAY;
}

/** 52 or 53: the number of ISO weeks in `year`. */
export function weeksInYear(year: number): number {
  return Math.round((week1Monday(year + 1) - week1Monday(year)) / WEEK);
}

/** The ISO week holding an instant (epoch seconds). */
export function weekOf(epochSeconds: number): IsoWeek {
  const d = new Date(Math.floor(epochSeconds / DAY) * DAY * 1000);
  // The Thursday of the same week decides the year.
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = d.getTime() / 1000 + (3 - weekday) * DAY;
  const year = new Date(thursday * 1000).getUTCFullYear();
  return { year, week: Math.floor((thursday - week1Monday(year)) / WEEK) + 1 };
}

export function formatWeek(w: IsoWeek): string {
  return `${String(w.year).padStart(4, '0')}-W${String(w.week).padStart(2, '0')}`;
}

/** Parses "2026-W47" (also lower-case "2026-w47"); GraspError('invalid') for anything else. */
export function parseWeek(text: string): IsoWeek {
  const m = WEEK_RE.exec(text.trim().toUpperCase());
  if (!m) throw new GraspError('invalid', `invalid week "${text}": expected an ISO week such as 2026-W47`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1970 || year > 9998) throw new GraspError('invalid', `invalid week "${text}": year must be between 1970 and 9998`);
  const max = weeksInYear(year);
  if (week < 1 || week > max) throw new GraspError('invalid', `invalid week "${text}": ${year} has weeks 01 to ${max}`);
  return { year, week };
}

/** [start, end) of the week in epoch seconds (end = the next Monday 00:00 UTC). */
export function weekBounds(w: IsoWeek): { start: number; end: number } {
  const start = week1Monday(w.year) + (w.week - 1) * WEEK;
  return { start, end: start + WEEK };
}

/** The week `n` weeks after `w` (negative n goes back). */
export function addWeeks(w: IsoWeek, n: number): IsoWeek {
  return weekOf(weekBounds(w).start + n * WEEK);
}

/** The `count` weeks ending with `w`, oldest first. */
export function weeksEndingWith(w: IsoWeek, count: number): IsoWeek[] {
  return Array.from({ length: count }, (_, i) => addWeeks(w, i - count + 1));
}

/** ISO weeks (src/core/weeks.ts): known calendar facts, then properties over many instants. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { addWeeks, formatWeek, parseWeek, weekBounds, weekOf, weeksEndingWith, weeksInYear } from '../../src/core/weeks.ts';

const sec = (iso: string) => Date.parse(iso) / 1000;
const week = (iso: string) => formatWeek(weekOf(sec(iso)));

describe('ISO weeks', () => {
  it('puts known dates in the right week, including year boundaries', () => {
    expect(week('2026-11-24T12:00:00Z')).toBe('2026-W48');
    expect(week('2026-11-16T00:00:00Z')).toBe('2026-W47'); // a Monday, first second
    expect(week('2026-11-15T23:59:59Z')).toBe('2026-W46'); // the Sunday before
    expect(week('2026-01-01T00:00:00Z')).toBe('2026-W01'); // a Thursday
    expect(week('2025-12-29T00:00:00Z')).toBe('2026-W01'); // Monday of that week is in 2025
    expect(week('2021-01-03T12:00:00Z')).toBe('2020-W53'); // Sunday: still the previous ISO year
    expect(week('2024-12-30T08:00:00Z')).toBe('2025-W01');
    expect(week('2027-01-01T00:00:00Z')).toBe('2026-W53');
  });

  it('knows which years have 53 weeks', () => {
    expect([2015, 2020, 2026, 2032].map(weeksInYear)).toEqual([53, 53, 53, 53]);
    expect([2021, 2024, 2025, 2027].map(weeksInYear)).toEqual([52, 52, 52, 52]);
  });

  it('gives [Monday 00:00, next Monday 00:00) UTC bounds', () => {
    expect(weekBounds(parseWeek('2026-W47'))).toEqual({ start: sec('2026-11-16T00:00:00Z'), end: sec('2026-11-23T00:00:00Z') });
    expect(weekBounds(parseWeek('2026-W01')).start).toBe(sec('2025-12-29T00:00:00Z'));
  });

  it('steps across years and lists trend weeks oldest first', () => {
    expect(formatWeek(addWeeks(parseWeek('2026-W01'), -1))).toBe('2025-W52');
    expect(formatWeek(addWeeks(parseWeek('2026-W53'), 1))).toBe('2027-W01');
    expect(weeksEndingWith(parseWeek('2026-W02'), 4).map(formatWeek)).toEqual(['2025-W51', '2025-W52', '2026-W01', '2026-W02']);
  });

  it('parses lower case and refuses malformed or impossible weeks with GraspError invalid', () => {
    expect(parseWeek(' 2026-w07 ')).toEqual({ year: 2026, week: 7 });
    for (const bad of ['', '2026', '2026-W7', '2026W07', '26-W07', '2026-W00', '2025-W53', '2026-W54', '1969-W10', 'next week']) {
      let err: unknown;
      try {
        parseWeek(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(GraspError);
      expect((err as GraspError).code).toBe('invalid');
    }
  });

  it('properties: an instant lies inside its week, weeks are 7 days, text round-trips', () => {
    const instants = fc.integer({ min: sec('1971-01-01T00:00:00Z'), max: sec('2200-01-01T00:00:00Z') });
    fc.assert(
      fc.property(instants, (t) => {
        const w = weekOf(t);
        const { start, end } = weekBounds(w);
        expect(t >= start && t < end).toBe(true);
        expect(end - start).toBe(7 * 86_400);
        expect(new Date(start * 1000).getUTCDay()).toBe(1); // Monday
        expect(parseWeek(formatWeek(w))).toEqual(w);
        expect(w.week).toBeLessThanOrEqual(weeksInYear(w.year));
        expect(formatWeek(addWeeks(addWeeks(w, 5), -5))).toBe(formatWeek(w));
        expect(weekOf(end)).toEqual(addWeeks(w, 1));
      }),
      { numRuns: 2000 },
    );
  });
});

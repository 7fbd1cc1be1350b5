/**
 * Debt in units a person acts on: reading time. Debt is complexity-weighted agent lines nobody
 * understands (docs/model.md); careful review reads about 300 lines an hour (5 a minute), and the
 * complexity weight already stands for the extra time branching code takes, so
 *     minutes = debt / 5.
 */
export const DEBT_LINES_PER_MINUTE = 5;

export function debtMinutes(debt: number): number {
  return Number.isFinite(debt) && debt > 0 ? debt / DEBT_LINES_PER_MINUTE : 0;
}

/** "about 58 hours", "about 20 minutes", "under a minute", "none". */
export function readingTime(debt: number): string {
  const minutes = debtMinutes(debt);
  if (minutes === 0) return 'none';
  if (minutes < 1) return 'under a minute';
  if (minutes < 90) return `about ${Math.round(minutes)} minute${Math.round(minutes) === 1 ? '' : 's'}`;
  const hours = minutes / 60;
  return `about ${hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours)} hours`;
}

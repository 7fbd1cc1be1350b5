/**
 * A person's search words -> an FTS5 MATCH expression that can never be a syntax error or reach
 * FTS5's operators: every word becomes a quoted string (`"retry" "backoff"`, all must match), a
 * trailing `*` on a word stays a prefix search, everything else is treated as text.
 */
export const MAX_SEARCH_TERMS = 12;
export const MAX_TERM_LENGTH = 64;

export function ftsQuery(input: string): string | null {
  const terms: string[] = [];
  for (const raw of input.normalize('NFKC').split(/\s+/)) {
    const prefix = raw.endsWith('*');
    // Keep letters, digits, and the joiners people type inside identifiers; drop the rest.
    const word = raw.replace(/[^\p{L}\p{N}_\-.]/gu, '').slice(0, MAX_TERM_LENGTH);
    if (word === '' || /^[-.]+$/.test(word)) continue;
    terms.push(`"${word.replaceAll('"', '""')}"${prefix ? '*' : ''}`);
    if (terms.length === MAX_SEARCH_TERMS) break;
  }
  return terms.length === 0 ? null : terms.join(' ');
}

/**
 * Aligned text tables for people at a terminal (`--format text`, the default on a TTY). Cells are
 * made terminal-safe here, so callers pass raw values. Colour only on a TTY and never with NO_COLOR
 * (https://no-color.org) or TERM=dumb.
 */
import { terminalSafe } from './context.ts';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | null;
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis (the last column is never cut). */
  max?: number;
  /** An SGR colour code (e.g. 33 yellow) applied when colour is on. */
  color?: (row: Row) => number | null;
}

export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/** Display width: code points, with combining marks and zero-width characters counted as 0. */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) if (!/[\p{M}\u200b-\u200f\u2060\ufeff]/u.test(ch)) n++;
  return n;
}

function cut(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out) >= max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], opts: { color?: boolean } = {}): string {
  const cells = rows.map((row) =>
    columns.map((c, i) => {
      const raw = c.value(row);
      const text = terminalSafe(raw === null ? '' : String(raw)).replace(/[\n\t]+/g, ' ');
      return i === columns.length - 1 || c.max === undefined ? text : cut(text, c.max);
    }),
  );
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i]!))));
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i]! - displayWidth(text)));
    return columns[i]!.align === 'right' ? gap + text : i === columns.length - 1 ? text : text + gap;
  };
  const lines = [columns.map((c, i) => pad(c.header, i)).join('  ').trimEnd()];
  if (opts.color) lines[0] = `\u001b[1m${lines[0]}\u001b[0m`;
  rows.forEach((row, r) => {
    const line = columns.map((c, i) => {
      const text = pad(cells[r]![i]!, i);
      const code = opts.color ? c.color?.(row) : null;
      return code ? `\u001b[${code}m${text}\u001b[0m` : text;
    });
    lines.push(line.join('  ').trimEnd());
  });
  return `${lines.join('\n')}\n`;
}

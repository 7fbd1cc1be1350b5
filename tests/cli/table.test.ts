import { describe, expect, it } from 'vitest';
import { colorEnabled, displayWidth, formatTable, type Column } from '../../src/cli/table.ts';

interface Row { sha: string; kind: string; confidence: number; why: string }
const columns: Column<Row>[] = [
  { header: 'commit', value: (r) => r.sha.slice(0, 10) },
  { header: 'kind', value: (r) => r.kind, max: 8, color: (r) => (r.kind.startsWith('agent') ? 33 : null) },
  { header: 'conf', value: (r) => r.confidence.toFixed(2), align: 'right' },
  { header: 'why', value: (r) => r.why },
];
const rows: Row[] = [
  { sha: '0123456789abcdef', kind: 'agent:claude', confidence: 0.97, why: 'co-author-trailer=Claude <noreply@anthropic.com>' },
  { sha: 'fedcba9876543210', kind: 'human', confidence: 0.9, why: '' },
];

describe('terminal tables', () => {
  it('aligns columns, cuts long cells with an ellipsis, right-aligns numbers (snapshot)', () => {
    expect(formatTable(columns, rows)).toMatchInlineSnapshot(`
      "commit      kind      conf  why
      0123456789  agent:c…  0.97  co-author-trailer=Claude <noreply@anthropic.com>
      fedcba9876  human     0.90
      "
    `);
  });

  it('strips control and bidi characters from cells and never colours without a TTY or with NO_COLOR', () => {
    const out = formatTable(columns, [{ ...rows[0]!, why: 'evil\u001b[31m\u202eknab' }]);
    expect(out).not.toMatch(/[\u001b\u202e]/);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(formatTable(columns, rows, { color: true })).toContain('\u001b[33m');
  });

  it('measures combining marks as zero width', () => {
    expect(displayWidth('e\u0301té')).toBe(3);
  });
});

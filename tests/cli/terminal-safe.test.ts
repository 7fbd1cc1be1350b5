import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/context.ts';

describe('terminalSafe', () => {
  it('strips escape sequences, controls and bidi overrides but keeps newlines, tabs and ordinary text', () => {
    expect(terminalSafe('a\u001b[31mred\u001b[0m b\u001b]0;title\u0007c\rd\u0000e\u009bf')).toBe('ared bcdef');
    expect(terminalSafe('if (isAdmin \u202e) {\u2066x\u2069}')).toBe('if (isAdmin ) {x}');
    expect(terminalSafe('line 1\n\tcafé ✓')).toBe('line 1\n\tcafé ✓');
  });
});

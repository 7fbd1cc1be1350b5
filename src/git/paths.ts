/** Path bytes from git to strings, losslessly: UTF-8 when valid, else Latin-1 (one char per byte). */
const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

export function decodePath(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (text.includes('\ufffd') && !bytes.includes(REPLACEMENT)) return bytes.toString('latin1');
  return text;
}

/** Text fields (names, messages): UTF-8 with replacement characters for invalid bytes. */
export function decodeText(bytes: Buffer): string {
  return bytes.toString('utf8');
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * Undoes git's C-style path quoting ("a\tb", "\303\251") into raw bytes.
 * Input without surrounding quotes is returned as its bytes unchanged.
 */
export function unquoteCPath(raw: Buffer): Buffer {
  if (raw.length < 2 || raw[0] !== 0x22 || raw[raw.length - 1] !== 0x22) return raw;
  const out: number[] = [];
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i]!;
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const next = String.fromCharCode(raw[i + 1] ?? 0);
    if (next >= '0' && next <= '7') {
      out.push(parseInt(raw.subarray(i + 1, i + 4).toString('latin1'), 8) & 0xff);
      i += 3;
    } else {
      out.push(ESCAPES[next] ?? raw[i + 1]!);
      i += 1;
    }
  }
  return Buffer.from(out);
}

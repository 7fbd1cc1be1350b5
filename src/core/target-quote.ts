/**
 * Paths and names that cannot be typed or printed as they are (control characters, bidi
 * controls, a leading quote) are written as a JSON string with those characters escaped, so a
 * printed target can always be pasted back: `"src/a\tb.ts"#render`.
 */

// C0/C1 controls, DEL, bidi embeddings/overrides/isolates, and the quote that starts a quoted form.
// eslint-disable-next-line no-control-regex
const NEEDS_QUOTES = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|^["\s]|\s$/;
// eslint-disable-next-line no-control-regex
const ESCAPE_AFTER_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function needsQuotes(text: string): boolean {
  return NEEDS_QUOTES.test(text);
}

/** The text as is when it is safe to print, else a JSON string with every unsafe character escaped. */
export function quoteIfNeeded(text: string): string {
  if (!needsQuotes(text)) return text;
  return JSON.stringify(text).replace(ESCAPE_AFTER_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Reads a quoted string at the start of `text`: its value and what follows it, or null when
 * `text` does not start with a complete, valid JSON string.
 */
export function readQuoted(text: string): { value: string; rest: string } | null {
  if (!text.startsWith('"')) return null;
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') {
      try {
        return { value: JSON.parse(text.slice(0, i + 1)) as string, rest: text.slice(i + 1) };
      } catch {
        return null;
      }
    }
  }
  return null;
}

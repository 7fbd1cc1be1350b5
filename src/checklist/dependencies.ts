/**
 * package.json dependencies, pure: what a manifest declares, what changed between two versions,
 * and the line a dependency sits on (for the flag). The manifest texts come from `blob_texts`
 * (filled at ingest by collectManifestTexts in ./manifests.ts), so no git is needed here.
 */
import { z } from 'zod';

export const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;
export type DependencyField = (typeof DEPENDENCY_FIELDS)[number];

export interface Dependency {
  field: DependencyField;
  name: string;
  version: string;
}

export interface DependencyChange extends Dependency {
  change: 'added' | 'changed' | 'removed';
  /** Previous version (changed and removed). */
  from: string | null;
}

/** Each dependency field is a name -> version map; a malformed field counts as absent. */
const dependencyMap = z.record(z.string(), z.unknown()).optional().catch(undefined);
const manifestSchema = z.looseObject({
  dependencies: dependencyMap,
  devDependencies: dependencyMap,
  peerDependencies: dependencyMap,
  optionalDependencies: dependencyMap,
});

/** The dependencies a package.json declares; null when the text is not a JSON object. */
export function extractDependencies(text: string): Dependency[] | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null; // not JSON (merge conflict markers, truncated blob): reported by the caller
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) return null;
  const out: Dependency[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, version] of Object.entries(parsed.data[field] ?? {})) {
      out.push({ field, name, version: typeof version === 'string' ? version : JSON.stringify(version) });
    }
  }
  return out;
}

/** Added, changed and removed dependencies from `before` to `after` (null before = a new manifest). */
export function diffDependencies(before: readonly Dependency[] | null, after: readonly Dependency[]): DependencyChange[] {
  const key = (d: Dependency) => `${d.field}\u0000${d.name}`;
  const old = new Map((before ?? []).map((d) => [key(d), d]));
  const out: DependencyChange[] = [];
  for (const d of after) {
    const o = old.get(key(d));
    old.delete(key(d));
    if (!o) out.push({ ...d, change: 'added', from: null });
    else if (o.version !== d.version) out.push({ ...d, change: 'changed', from: o.version });
  }
  for (const o of old.values()) out.push({ ...o, change: 'removed', from: o.version });
  return out;
}

/** 1-based line of `"name":` inside the `"field"` object of a manifest's text; null when not found. */
export function dependencyLine(text: string, field: DependencyField, name: string): number | null {
  const fieldAt = text.search(new RegExp(`"${field}"\\s*:\\s*\\{`));
  if (fieldAt < 0) return null;
  const close = text.indexOf('}', fieldAt);
  const at = text.indexOf(JSON.stringify(name), fieldAt);
  if (at < 0 || (close >= 0 && at > close)) return null;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}


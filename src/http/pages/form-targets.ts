/**
 * The targets of one mark form: duplicates dropped, each expanded once, and the whole form
 * capped, so one small post cannot turn into hundreds of thousands of mark rows.
 */
import { GraspError } from '../../core/errors.ts';
import { formatTarget, parseTarget } from '../../core/marks.ts';
import { MAX_MARKS_PER_WRITE } from '../../db/repo/marks.ts';
import { expandTarget, type TargetItem } from '../../db/repo/targets.ts';
import type { RepoStore } from '../../db/store.ts';

/** Most targets one form may name (a checklist's "mark all" names one per item). */
export const MAX_FORM_TARGETS = 500;
/** Commit, range and pull-request targets each walk history: a few per form. */
export const MAX_FORM_HISTORY_TARGETS = 5;

export async function expandFormTargets(store: RepoStore, texts: readonly string[]): Promise<{ target: string; items: TargetItem[] }[]> {
  const unique = [...new Map(texts.map((t) => [formatTarget(parseTarget(t)), t])).values()];
  const history = unique.filter((t) => ['commit', 'range', 'pr'].includes(parseTarget(t).kind)).length;
  if (history > MAX_FORM_HISTORY_TARGETS) {
    throw new GraspError('too-large', `a form may name at most ${MAX_FORM_HISTORY_TARGETS} commit, range or pull request targets (it names ${history})`);
  }
  const out: { target: string; items: TargetItem[] }[] = [];
  let total = 0;
  for (const target of unique) {
    const items = await expandTarget(store, parseTarget(target));
    total += items.length;
    if (total > MAX_MARKS_PER_WRITE) {
      throw new GraspError('too-large', `this form would write more than ${MAX_MARKS_PER_WRITE} marks; mark fewer or smaller targets at once`);
    }
    out.push({ target, items });
  }
  return out;
}

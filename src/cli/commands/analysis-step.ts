/** The analysis step `grasp ingest` runs after reading history (symbol analysis, issue 4). */
import type { Store } from '../../db/store.ts';

export async function runAnalysisStep(store: Store, root: string, showProgress: boolean): Promise<unknown> {
  void store;
  void root;
  void showProgress;
  return null;
}

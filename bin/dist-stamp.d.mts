/** Types of dist-stamp.mjs, for the tests. */
export function sourceSnapshot(root: string): string;
export function distIsFresh(root: string): boolean;

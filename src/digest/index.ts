/** The weekly digest: build it (database only, Worker-safe) and render it as JSON, Markdown or HTML. */
export { buildDigest, resolveWeek, TREND_WEEKS, TOP_HOTSPOTS, type BuildDigestOptions } from './build.ts';
export { renderDigestMarkdown } from './markdown.ts';
export { renderDigestHtml, DigestView } from './html.tsx';
export type * from './types.ts';

/** One place that turns a built report into md / json / html text, for the CLI and the API. */
import type { EngineerReport } from './engineer-report.ts';
import type { HotspotsReport, IslandsReport } from './hotspots-report.ts';
import { engineerReportHtml } from './html.tsx';
import { engineerReportMarkdown, hotspotsMarkdown, islandsMarkdown } from './markdown.ts';
import type { ReportFormat } from './options.ts';

export interface Rendered {
  body: string;
  contentType: string;
}

const json = (value: unknown): Rendered => ({ body: `${JSON.stringify(value, null, 2)}\n`, contentType: 'application/json; charset=utf-8' });
const md = (body: string): Rendered => ({ body, contentType: 'text/markdown; charset=utf-8' });

export async function renderEngineerReport(report: EngineerReport, format: ReportFormat): Promise<Rendered> {
  if (format === 'json') return json(report);
  if (format === 'html') return { body: `${await engineerReportHtml(report)}\n`, contentType: 'text/html; charset=utf-8' };
  return md(engineerReportMarkdown(report));
}

export function renderHotspots(report: HotspotsReport, format: 'md' | 'json'): Rendered {
  return format === 'json' ? json(report) : md(hotspotsMarkdown(report));
}

export function renderIslands(report: IslandsReport, format: 'md' | 'json'): Rendered {
  return format === 'json' ? json(report) : md(islandsMarkdown(report));
}

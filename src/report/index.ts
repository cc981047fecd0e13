import type { ResultJson } from '../run/result.js';
import type { ReportFormat } from '../scenario/types.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { ensureDir, reportPath, writeAtomic } from './write.js';

export { emitGithub } from './github.js';

/** Every format is a pure function of report.json, so any of them can be re-rendered later. */
export const RENDERERS: Record<ReportFormat, (r: ResultJson) => string> = {
  json: renderJson,
  html: renderHtml,
  junit: renderJunit,
  md: renderMarkdown,
};

/** Writes each format to its file in `dir`; each file appears whole or not at all. */
export async function writeFormats(
  result: ResultJson,
  dir: string,
  formats: readonly ReportFormat[],
): Promise<string[]> {
  await ensureDir(dir);
  const written: string[] = [];
  for (const format of new Set(formats)) {
    const path = reportPath(dir, format);
    await writeAtomic(path, RENDERERS[format](result));
    written.push(path);
  }
  return written;
}

/** Writes report.json always, then each requested format. */
export async function writeReports(
  result: ResultJson,
  dir: string,
  formats: readonly ReportFormat[],
): Promise<string[]> {
  return writeFormats(result, dir, ['json', ...formats]);
}

import { appendFile } from 'node:fs/promises';
import type { ResultJson } from '../run/result.js';
import { escapeCommandData, escapeCommandProperty, visibleText } from './escape.js';
import { renderMarkdown } from './markdown.js';
import { failsGate } from './stats.js';

/**
 * GitHub Actions integration: the Markdown summary appended to $GITHUB_STEP_SUMMARY and one
 * annotation per failing check. Workflow commands are parsed from stdout line by line, so every value
 * is escaped (% CR LF, and : , in properties) to stay inside its own command.
 */

export interface GithubOutcome {
  /** The summary file appended to, or null when not written. */
  summaryFile: string | null;
  annotations: number;
}

/** The annotation lines for a result: ::error for checks that fail the gate, ::warning for the rest. */
export function annotationsOf(r: ResultJson): string[] {
  const lines: string[] = [];
  for (const c of r.checks) {
    const kind = failsGate(c) ? 'error' : c.status === 'warn' || c.status === 'error' ? 'warning' : null;
    if (!kind) continue;
    lines.push(
      `::${kind} title=${escapeCommandProperty(c.id)}::${escapeCommandData(visibleText(c.summary))}`,
    );
  }
  if (r.stopReason) {
    lines.push(
      `::error title=${escapeCommandProperty('wh-bench run')}::${escapeCommandData(visibleText(r.stopReason))}`,
    );
  }
  return lines;
}

/**
 * When GITHUB_ACTIONS=true: appends the summary to $GITHUB_STEP_SUMMARY (if set) and writes the
 * annotations through `write` (one call per line, newline included). Does nothing elsewhere. A summary
 * file that cannot be written becomes a warning, never a failed run.
 */
export async function emitGithub(
  result: ResultJson,
  env: Readonly<Record<string, string | undefined>>,
  write: (line: string) => void,
): Promise<GithubOutcome> {
  if (env['GITHUB_ACTIONS'] !== 'true') return { summaryFile: null, annotations: 0 };
  let summaryFile: string | null = null;
  const path = env['GITHUB_STEP_SUMMARY'];
  if (path) {
    try {
      await appendFile(path, `${renderMarkdown(result)}\n`);
      summaryFile = path;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      write(`::warning title=wh-bench::${escapeCommandData(`could not write the step summary: ${msg}`)}\n`);
    }
  }
  const lines = annotationsOf(result);
  for (const line of lines) write(`${line}\n`);
  return { summaryFile, annotations: lines.length };
}

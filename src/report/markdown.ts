import type { CheckResult, CheckStatus } from '../checks/types.js';
import type { ResultJson } from '../run/result.js';
import { escapeMarkdown, markdownCode, markdownFence } from './escape.js';
import { countChecks, errorRatePct, fmtMs, fmtPct, fmtRate, worstFirst } from './stats.js';

/**
 * summary.md (and the GitHub step summary): the verdict, a compact check table worst first, the load
 * phases, then the reproducers of the failures folded away. Target-provided text is escaped so it
 * cannot add markup, links, HTML or table cells.
 */

const MARK: Record<CheckStatus, string> = {
  fail: '❌ fail',
  error: '❗ error',
  warn: '⚠️ warn',
  pass: '✅ pass',
  skip: '⏭️ skip',
};

/** How many failing checks get their reproducers listed (the step summary has a size limit). */
const MAX_REPRODUCED = 10;

function checkTable(checks: readonly CheckResult[]): string[] {
  return [
    '| status | check | | summary |',
    '|---|---|---|---|',
    ...worstFirst(checks).map(
      (c) =>
        `| ${MARK[c.status]} | ${markdownCode(c.id)} | ${c.required ? 'required' : 'advisory'} | ${escapeMarkdown(c.summary)} |`,
    ),
  ];
}

function phaseTable(r: ResultJson): string[] {
  if (r.phases.length === 0) return [];
  return [
    '',
    '### Load',
    '',
    '| phase | intended/s | achieved/s | sent | dropped | errors | p50 | p99 | p99.9 | max |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...r.phases.map((p) => {
      const l = p.latency.corrected;
      return `| ${escapeMarkdown(p.name)} | ${p.intendedRate === null ? 'closed' : fmtRate(p.intendedRate)} | ${fmtRate(p.achievedRate)} | ${p.sent} | ${p.dropped} | ${fmtPct(errorRatePct(p))} | ${fmtMs(l.p50)} | ${fmtMs(l.p99)} | ${fmtMs(l.p999)} | ${fmtMs(l.max)} |`;
    }),
    '',
    '_Latency corrected for coordinated omission (measured from the intended send time)._',
  ];
}

function reproducers(checks: readonly CheckResult[]): string[] {
  const failing = worstFirst(checks).filter(
    (c) =>
      (c.status === 'fail' || c.status === 'error' || c.status === 'warn') &&
      c.evidence.some((e) => e.reproducers),
  );
  if (failing.length === 0) return [];
  const out = ['', '<details><summary>Reproduce the failures and warnings</summary>', ''];
  for (const c of failing.slice(0, MAX_REPRODUCED)) {
    const ev = c.evidence.find((e) => e.reproducers)!;
    out.push(`${markdownCode(c.id)}: ${escapeMarkdown(ev.label)}`, '');
    out.push(markdownFence(`${ev.reproducers!.send}\n${ev.reproducers!.curl}`, 'sh'), '');
  }
  if (failing.length > MAX_REPRODUCED)
    out.push(`…and ${failing.length - MAX_REPRODUCED} more in report.html.`, '');
  out.push('</details>');
  return out;
}

export function renderMarkdown(r: ResultJson): string {
  const n = countChecks(r.checks);
  const word = r.interrupted ? '⏸️ INTERRUPTED' : r.verdict === 'pass' ? '✅ PASS' : '❌ FAIL';
  const counts = [
    n.requiredFailed > 0 ? `${n.requiredFailed} required failed` : '',
    n.warned > 0 ? `${n.warned} warned` : '',
    `${n.passed} passed`,
    n.skipped > 0 ? `${n.skipped} skipped` : '',
  ].filter(Boolean);
  const out: string[] = [
    `## wh-bench: ${word}`,
    '',
    `**${escapeMarkdown(r.scenario.name)}** (${escapeMarkdown(r.scenario.preset)}) against ${markdownCode(r.target.url)} · run ${markdownCode(r.runId)} · wh-bench ${escapeMarkdown(r.tool.version)} · ${counts.join(', ')}`,
  ];
  const notes: string[] = [];
  if (r.stopReason) notes.push(`Stopped early: ${escapeMarkdown(r.stopReason)}`);
  if (r.timeScale !== 1)
    notes.push(`Time scale ${r.timeScale}: provider timeouts and retry schedules compressed.`);
  if (r.shard) notes.push(`Shard ${r.shard.index} of ${r.shard.count}.`);
  if (notes.length > 0) out.push('', ...notes.map((s) => `> ${s}`));
  out.push('', ...checkTable(r.checks), ...phaseTable(r), ...reproducers(r.checks));
  return `${out.join('\n')}\n`;
}

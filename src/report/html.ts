import type { ResultJson } from '../run/result.js';
import { escapeHtml, escapeUntrustedHtml, jsonForScript, visibleText } from './escape.js';
import { contentSecurityPolicy, SCRIPT, STYLE } from './html-assets.js';
import { checkAnchor, checkBlock, IdSource } from './html-checks.js';
import { type ChartRegistry, loadSection } from './html-load.js';
import { countChecks, failsGate, fmtDuration, worstFirst } from './stats.js';

export { escapeHtml } from './escape.js';

/**
 * report.html: one self-contained page (no network, strict CSP) rendered from report.json alone.
 * Everything that may come from the target or the scenario goes through escapeUntrustedHtml; the
 * chart data rides in a JSON block escaped for a script element.
 */

const t = escapeUntrustedHtml;
const e = escapeHtml;

function banner(r: ResultJson): string {
  const n = countChecks(r.checks);
  const cls = r.interrupted ? 'interrupted' : r.verdict;
  const word = r.interrupted ? 'INTERRUPTED' : r.verdict === 'pass' ? 'PASS' : 'FAIL';
  const counts = [
    n.requiredFailed > 0
      ? `${n.requiredFailed} required check${n.requiredFailed === 1 ? '' : 's'} failed`
      : '',
    n.warned > 0 ? `${n.warned} warning${n.warned === 1 ? '' : 's'}` : '',
    `${n.passed} passed`,
    n.skipped > 0 ? `${n.skipped} skipped` : '',
  ].filter(Boolean);
  const failing = r.checks.filter(failsGate);
  const list =
    failing.length > 0
      ? `<ul class="failing">${failing
          .map(
            (c) =>
              `<li><a href="#${e(encodeURIComponent(checkAnchor(c.id)))}"><code>${t(c.id)}</code></a>: ${t(c.summary)}</li>`,
          )
          .join('')}</ul>`
      : '';
  return (
    `<header class="banner ${e(cls)}"><div class="inner"><div class="verdict" data-verdict="${e(r.verdict)}">verdict: ${word}</div>` +
    `<div>${e(counts.join(' · '))}</div>` +
    `<div>scenario <b>${t(r.scenario.name)}</b> (${t(r.scenario.preset)}) against <code>${t(r.target.url)}</code>${r.target.embedded ? ' (embedded reference receiver)' : ''}</div>` +
    `${list}</div></header>`
  );
}

function notices(r: ResultJson): string {
  const out: string[] = [];
  if (r.interrupted) out.push('The run was interrupted: this report is partial.');
  else if (r.partial) out.push('The run stopped early: this report is partial.');
  if (r.stopReason) out.push(`Stopped: ${t(r.stopReason)}`);
  if (r.timeScale !== 1) {
    out.push(
      `Time scale ${e(String(r.timeScale))}: provider timeouts and retry schedules were compressed by this factor; latency limits derived from them are not production figures.`,
    );
  }
  if (r.shard)
    out.push(
      `This is shard ${r.shard.index} of ${r.shard.count}; merge the shards with <code>wh-bench merge</code>.`,
    );
  return out.map((s) => `<p class="notice">${s}</p>`).join('');
}

function runSection(r: ResultJson): string {
  const s = r.scenario;
  const dur = Date.parse(r.endedAt) - Date.parse(r.startedAt);
  const rows: Array<[string, string]> = [
    ['run id', `<code>${t(r.runId)}</code>`],
    ['wh-bench', `${t(r.tool.version)} (report schema v${e(String(r.schemaVersion))})`],
    ['scenario', `${t(s.name)} <span class="muted">${t(s.file)}</span>`],
    ['provider', `${t(s.preset)} (${t(s.scheme)})`],
    ['target', `<code>${t(r.target.url)}</code>${r.target.embedded ? ' (embedded reference receiver)' : ''}`],
    ['started', `${t(r.startedAt)} (${Number.isFinite(dur) ? e(fmtDuration(dur)) : '?'})`],
    ['ended', t(r.endedAt)],
    ['time scale', r.timeScale === 1 ? '1 (real time)' : `${e(String(r.timeScale))} (compressed)`],
    ['seed', e(String(r.seed))],
    ['shard', r.shard ? `${r.shard.index} of ${r.shard.count}` : 'none'],
    ['machine', t(`${r.machine.platform} ${r.machine.arch}, ${r.machine.cpus} CPUs, Node ${r.machine.node}`)],
    ['signature tolerance', s.toleranceSec === null ? 'none' : `${s.toleranceSec} s`],
    ['ack timeout', e(fmtDuration(s.ackTimeoutMs))],
    ['max payload', `${s.maxPayloadBytes} bytes`],
    ['events', s.events.map((ev) => `${t(ev.type)} ×${ev.weight}`).join(', ') || 'none'],
    [
      'load plan',
      s.load
        .map((p) => {
          const what =
            p.concurrency !== undefined
              ? `${p.concurrency} concurrent`
              : `${p.rate ?? '?'}/s${p.rampTo !== undefined ? ` → ${p.rampTo}/s` : ''}`;
          return `${t(p.name)}: ${t(p.model)} ${t(what)} for ${e(fmtDuration(p.durationMs))}`;
        })
        .join('<br>') || 'none',
    ],
    ['probe', s.probe ? `<code>${t(s.probe)}</code>` : 'none (idempotency judged by responses only)'],
  ];
  const checksConfig =
    Object.keys(s.checks).length > 0
      ? `<h3>Check settings</h3><pre>${t(JSON.stringify(s.checks, null, 2))}</pre>`
      : '';
  return `<dl class="run">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>${checksConfig}`;
}

/**
 * Checks worst first; what passed or was skipped is folded into one group, so the failures and their
 * evidence are what a reader sees first.
 */
function checkList(r: ResultJson, ids: IdSource): string {
  const sorted = worstFirst(r.checks);
  const quiet = (s: string) => s === 'pass' || s === 'skip';
  const loud = sorted.filter((c) => !quiet(c.status));
  const rest = sorted.filter((c) => quiet(c.status));
  const n = countChecks(rest);
  const label = [`${n.passed} passed`, n.skipped > 0 ? `${n.skipped} skipped` : '']
    .filter(Boolean)
    .join(', ');
  const group =
    rest.length > 0
      ? `<details class="group" id="passed-checks"${loud.length === 0 ? ' open' : ''}><summary>${e(label)}</summary>${rest
          .map((c) => checkBlock(c, ids))
          .join('')}</details>`
      : '';
  return loud.map((c) => checkBlock(c, ids)).join('') + group;
}

export function renderHtml(r: ResultJson): string {
  const ids = new IdSource();
  const charts: ChartRegistry = {};
  const load = loadSection(r.phases, r.timeseries, charts);
  const checks = checkList(r, ids);
  const csp = contentSecurityPolicy(SCRIPT, STYLE);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wh-bench ${r.interrupted ? 'INTERRUPTED' : r.verdict.toUpperCase()}: ${e(visibleText(r.scenario.name))}</title>
<style>${STYLE}</style></head>
<body>
${banner(r)}
<nav><a href="#checks">Checks</a><a href="#load">Load</a><a href="#run">Run</a></nav>
<main>
${notices(r)}
<section id="checks"><h2>Checks</h2>
<div class="tools"><button type="button" id="expand-failed">expand failures and warnings</button> <button type="button" id="collapse-all">collapse all</button></div>
${checks || '<p class="muted">No check ran.</p>'}
</section>
<section id="load"><h2>Load</h2>
${load}
</section>
<section id="run"><h2>Run</h2>
${runSection(r)}
</section>
<footer>Rendered by wh-bench ${t(r.tool.version)} from report.json; re-render with <code>wh-bench report report.json</code>.</footer>
</main>
<script type="application/json" id="wh-data">${jsonForScript({ charts })}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

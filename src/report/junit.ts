import type { CheckResult } from '../checks/types.js';
import type { ResultJson } from '../run/result.js';
import { escapeXml, escapeXmlAttr, visibleText } from './escape.js';
import { checkText } from './evidence-text.js';

/**
 * junit.xml, in the Jenkins/Ant JUnit shape CI systems read (validated against junit-10.xsd): a
 * testsuite per check family, a testcase per check. Required fail → <failure>, required error →
 * <error>, skip → <skipped>, warn (and an advisory check that could not judge) → a passing testcase
 * with <system-out>, so the JUnit view agrees with the exit code.
 */

export const familyOf = (id: string): string => {
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : id;
};

type Outcome = 'failure' | 'error' | 'skipped' | 'note' | 'pass';

function outcomeOf(c: CheckResult): Outcome {
  if (c.status === 'skip') return 'skipped';
  if (c.status === 'fail') return c.required ? 'failure' : 'note';
  if (c.status === 'error') return c.required ? 'error' : 'note';
  if (c.status === 'warn') return 'note';
  return 'pass';
}

const attr = (s: string) => escapeXmlAttr(visibleText(s));

function testcase(c: CheckResult, family: string): string {
  const head = `<testcase name="${attr(c.id)}" classname="wh-bench.${attr(family)}"`;
  const outcome = outcomeOf(c);
  const message = attr(c.summary);
  switch (outcome) {
    case 'pass':
      return `${head}/>`;
    case 'skipped':
      return `${head}>\n      <skipped message="${message}"/>\n    </testcase>`;
    case 'failure':
    case 'error':
      return `${head}>\n      <${outcome} type="${c.status}" message="${message}">${escapeXml(checkText(c))}</${outcome}>\n    </testcase>`;
    case 'note':
      return `${head}>\n      <system-out>${escapeXml(checkText(c))}</system-out>\n    </testcase>`;
  }
}

function properties(r: ResultJson): string {
  const props: Array<[string, string]> = [
    ['wh-bench.version', r.tool.version],
    ['run.id', r.runId],
    ['run.verdict', r.interrupted ? 'interrupted' : r.verdict],
    ['scenario.name', r.scenario.name],
    ['scenario.preset', r.scenario.preset],
    ['target.url', r.target.url],
    ['time.scale', String(r.timeScale)],
  ];
  if (r.shard) props.push(['shard', `${r.shard.index}/${r.shard.count}`]);
  for (const p of r.phases) {
    props.push(
      [`phase.${p.name}.achieved_rate`, p.achievedRate.toFixed(1)],
      [`phase.${p.name}.p99_ms`, p.latency.corrected.p99.toFixed(3)],
      [`phase.${p.name}.max_ms`, p.latency.corrected.max.toFixed(3)],
    );
  }
  return `<properties>\n${props.map(([n, v]) => `      <property name="${attr(n)}" value="${attr(v)}"/>`).join('\n')}\n    </properties>`;
}

const seconds = (ms: number) => (Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0');

export function renderJunit(r: ResultJson): string {
  const families = new Map<string, CheckResult[]>();
  for (const c of r.checks) {
    const f = familyOf(c.id);
    const list = families.get(f) ?? [];
    list.push(c);
    families.set(f, list);
  }
  let totalFailures = 0;
  let totalErrors = 0;
  const suites = [...families].map(([family, checks], i) => {
    const failures = checks.filter((c) => outcomeOf(c) === 'failure').length;
    const errors = checks.filter((c) => outcomeOf(c) === 'error').length;
    const skipped = checks.filter((c) => c.status === 'skip').length;
    totalFailures += failures;
    totalErrors += errors;
    return (
      `  <testsuite name="${attr(family)}" tests="${checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${attr(r.startedAt)}">\n` +
      (i === 0 ? `    ${properties(r)}\n` : '') +
      checks.map((c) => `    ${testcase(c, family)}`).join('\n') +
      '\n  </testsuite>'
    );
  });
  const time = seconds(Date.parse(r.endedAt) - Date.parse(r.startedAt));
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${attr(`wh-bench ${r.scenario.name}`)}" tests="${r.checks.length}" failures="${totalFailures}" errors="${totalErrors}" time="${time}">\n` +
    suites.join('\n') +
    (suites.length > 0 ? '\n' : '') +
    '</testsuites>\n'
  );
}

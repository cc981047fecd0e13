import { CATALOG } from '../checks/catalog.js';
import type { CheckResult, Evidence } from '../checks/types.js';
import type { Header } from '../signing/types.js';
import { visibleText } from './escape.js';

/** A check and its evidence as plain text (JUnit bodies, logs). Invisible characters are made visible. */

const META = new Map(CATALOG.map((m) => [m.id, m]));
const indent = (s: string, pad = '    ') =>
  s
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
const headers = (h: readonly Header[]) => h.map(([n, v]) => `${n}: ${v}`).join('\n');

export function evidenceText(ev: Evidence, index: number): string {
  const out: string[] = [`Evidence ${index + 1}: ${ev.label}`];
  if (ev.note) out.push(`  note: ${ev.note}`);
  if (ev.timingMs !== undefined) out.push(`  answered in ${ev.timingMs} ms`);
  if (ev.request) {
    const q = ev.request;
    out.push(`  request (${q.bodyBytes} bytes body):`, indent(`${q.method} ${q.url}\n${headers(q.headers)}`));
    if (q.bodyExcerpt) out.push(indent(q.bodyExcerpt));
  }
  if (ev.response) {
    const s = ev.response;
    out.push(
      `  response: ${s.status === null ? 'no answer' : `HTTP ${s.status}`}${s.error ? ` (${s.error})` : ''}`,
    );
    if (s.headers.length > 0) out.push(indent(headers(s.headers)));
    if (s.bodyExcerpt) out.push(indent(s.bodyExcerpt));
  }
  if (ev.reproducers) out.push('  reproduce:', indent(ev.reproducers.send), indent(ev.reproducers.curl));
  return out.join('\n');
}

export function checkText(c: CheckResult): string {
  const meta = META.get(c.id);
  const out = [`${c.status.toUpperCase()} ${c.id} (${c.required ? 'required' : 'advisory'}): ${c.summary}`];
  if (meta && c.status !== 'pass' && c.status !== 'skip') out.push(`why: ${meta.why}`, `fix: ${meta.fix}`);
  c.evidence.forEach((ev, i) => {
    out.push('', evidenceText(ev, i));
  });
  return visibleText(out.join('\n'));
}

import { CATALOG } from '../checks/catalog.js';
import type { CheckResult, Evidence, EvidenceRequest, EvidenceResponse } from '../checks/types.js';
import type { Header } from '../signing/types.js';
import { escapeHtml, escapeUntrustedHtml } from './escape.js';
import { fmtMs } from './stats.js';

/** The check list: one <details> per check, evidence and reproducers inside. */

const t = escapeUntrustedHtml;
const META = new Map(CATALOG.map((m) => [m.id, m]));

/** The element id of a check, for links from the banner and `#check-…` URLs. */
export const checkAnchor = (id: string): string => `check-${id}`;

const headerLines = (headers: readonly Header[]) => headers.map(([n, v]) => `${n}: ${v}`).join('\n');

function requestBlock(req: EvidenceRequest): string {
  const head = `${req.method} ${req.url}\n${headerLines(req.headers)}`;
  const body = req.bodyExcerpt ? `\n\n${req.bodyExcerpt}` : '';
  return `<div class="req"><h5>Request <span class="muted">(${req.bodyBytes} bytes body, secrets masked)</span></h5><pre>${t(head + body)}</pre></div>`;
}

function responseBlock(res: EvidenceResponse): string {
  const status = res.status === null ? 'no answer' : `HTTP ${res.status}`;
  const error = res.error ? `<p class="bad">${t(res.error)}</p>` : '';
  const head = `${status}\n${headerLines(res.headers)}`;
  const body = res.bodyExcerpt ? `\n\n${res.bodyExcerpt}` : '';
  return `<div class="res"><h5>Response</h5>${error}<pre>${t(head + body)}</pre></div>`;
}

/** Numbered ids for copy targets, unique within one page. */
export class IdSource {
  private n = 0;
  next(prefix: string): string {
    this.n += 1;
    return `${prefix}-${this.n}`;
  }
}

function reproducerBlock(rep: { send: string; curl: string }, ids: IdSource): string {
  const line = (label: string, text: string) => {
    const id = ids.next('repro');
    return `<div class="cmd"><pre><code id="${id}" data-kind="${label}">${t(text)}</code></pre><button type="button" class="copy" data-copy="${id}" title="copy the ${label} line">copy</button></div>`;
  };
  return `<div class="repro"><h5>Reproduce</h5>${line('send', rep.send)}${line('curl', rep.curl)}</div>`;
}

function evidenceBlock(ev: Evidence, ids: IdSource): string {
  const parts: string[] = [`<div class="ev"><h4>${t(ev.label)}</h4>`];
  if (ev.note) parts.push(`<p class="note">${t(ev.note)}</p>`);
  if (ev.timingMs !== undefined)
    parts.push(`<p class="muted">answered in ${escapeHtml(fmtMs(ev.timingMs))}</p>`);
  if (ev.request || ev.response) {
    parts.push(
      `<div class="exchange">${ev.request ? requestBlock(ev.request) : '<div></div>'}${ev.response ? responseBlock(ev.response) : ''}</div>`,
    );
  }
  if (ev.reproducers) parts.push(reproducerBlock(ev.reproducers, ids));
  parts.push('</div>');
  return parts.join('');
}

export function checkBlock(c: CheckResult, ids: IdSource): string {
  const e = escapeHtml;
  const meta = META.get(c.id);
  const advice =
    meta && c.status !== 'pass' && c.status !== 'skip'
      ? `<p><b>Why it matters:</b> ${e(meta.why)}<br><b>How to fix:</b> ${e(meta.fix)}</p>`
      : '';
  const evidence =
    c.evidence.length > 0
      ? c.evidence.map((ev) => evidenceBlock(ev, ids)).join('')
      : '<p class="muted">No evidence recorded.</p>';
  return (
    `<details class="check ${e(c.status)}" id="${e(checkAnchor(c.id))}" data-status="${e(c.status)}">` +
    `<summary><span class="badge ${e(c.status)}">${e(c.status.toUpperCase())}</span>` +
    `<span><code>${t(c.id)}</code><span class="title">${t(c.title)}</span></span>` +
    `<span class="req">${c.required ? 'required' : 'advisory'}</span>` +
    `<span class="sum">${t(c.summary)}</span></summary>` +
    `<div class="evidence">${advice}${evidence}</div></details>`
  );
}

import { createHash } from 'node:crypto';

/**
 * The page's only style and script, inline so the report works opened from disk. The CSP allows
 * exactly these two by hash: no other script, no style attribute, no network.
 */

export const STYLE = `
:root{--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--skip:#6e7781;--error:#8250df;--fg:#1f2328;--muted:#59636e;
--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--s0:#0969da;--s1:#e16f24;--s2:#1a7f37;--s3:#cf222e}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0}
main{max-width:1100px;margin:0 auto;padding:0 20px 40px}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:4px 0;
white-space:pre-wrap;overflow-wrap:anywhere;max-height:360px;overflow:auto}
h2{margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{margin:22px 0 6px}h4{margin:12px 0 4px}h5{margin:8px 0 2px;color:var(--muted);font-size:12px;text-transform:uppercase}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid var(--line);padding:3px 8px;text-align:right;white-space:nowrap}
th{background:var(--soft);font-weight:600}td.l,th.l{text-align:left}
.banner{padding:18px 20px;color:#fff;background:var(--fail)}.banner.pass{background:var(--pass)}.banner.interrupted{background:var(--warn)}
.banner .inner{max-width:1100px;margin:0 auto}.banner .verdict{font-size:30px;font-weight:700;letter-spacing:.5px}
.banner a{color:#fff}.banner code{background:rgba(255,255,255,.18);padding:0 4px;border-radius:4px}
.banner ul{margin:6px 0 0;padding-left:20px}
nav{max-width:1100px;margin:0 auto;padding:8px 20px;color:var(--muted)}nav a{margin-right:14px}
.notice{border-left:4px solid var(--warn);background:#fff8c5;padding:6px 10px;margin:10px 0}
.badge{display:inline-block;min-width:52px;text-align:center;font-weight:700;font-size:11px;color:#fff;
border-radius:10px;padding:1px 6px}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}
.badge.skip{background:var(--skip)}.badge.error{background:var(--error)}
details.check{border:1px solid var(--line);border-radius:6px;margin:5px 0}
details.check>summary{cursor:pointer;padding:4px 10px;display:grid;grid-template-columns:64px minmax(190px,260px) 76px 1fr;
gap:10px;align-items:baseline;list-style:none}
details.check>summary::-webkit-details-marker{display:none}
details.check[open]>summary{border-bottom:1px solid var(--line);background:var(--soft)}
details.check.fail,details.check.error{border-left:4px solid var(--fail)}details.check.warn{border-left:4px solid var(--warn)}
details.group{margin:8px 0}details.group>summary{cursor:pointer;color:var(--muted);padding:4px 2px;font-weight:600}
.req{font-size:11px;color:var(--muted)}.sum{overflow-wrap:anywhere}.title{color:var(--muted);display:block;font-size:12px}
.evidence{padding:4px 12px 10px}.ev{border-top:1px dashed var(--line);padding-top:6px;margin-top:6px}
.ev:first-child{border-top:0}.exchange{display:grid;grid-template-columns:1fr 1fr;gap:10px}
.cmd{display:flex;gap:6px;align-items:flex-start}.cmd pre{flex:1;margin:2px 0}
button{font:12px system-ui,sans-serif;border:1px solid var(--line);background:var(--bg);border-radius:5px;padding:3px 8px;cursor:pointer}
button:hover{background:var(--soft)}.tools{margin:4px 0 8px}
.cc{color:var(--error);background:#fbefff;border-radius:3px;padding:0 2px}
.muted{color:var(--muted)}.bad{color:var(--fail);font-weight:600}
.phase{border:1px solid var(--line);border-radius:8px;padding:4px 14px 10px;margin:10px 0}
.phase-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,540px);gap:18px;align-items:start}
svg.statusbar{width:100%;height:14px;display:block;margin:6px 0;border-radius:3px}
.tables table{margin-right:8px}
.rates{display:flex;gap:8px 22px;flex-wrap:wrap;margin:6px 0}.rates div b{display:block;font-size:20px}
.tables{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.statusbar rect.k2{fill:var(--pass)}.statusbar rect.k3{fill:#bf8700}.statusbar rect.k4{fill:var(--warn)}
.statusbar rect.k5{fill:var(--fail)}.statusbar rect.kerr{fill:var(--error)}.statusbar rect.kother{fill:var(--skip)}
figure.chart-box{margin:10px 0;border:1px solid var(--line);border-radius:8px;padding:8px}
figcaption{font-weight:600;margin-bottom:2px}
svg.chart{width:100%;height:auto;display:block}
svg .plot{fill:var(--bg);stroke:var(--line)}svg .grid{stroke:#eaeef2}svg .band.b0{fill:#f6f8fa}svg .band.b1{fill:#eef3fb}
svg .band-label{font-size:11px;fill:var(--muted)}
svg .tick{font-size:11px;fill:var(--muted)}svg .tick.y{text-anchor:end}svg .tick.x{text-anchor:middle}
svg .axis-label{font-size:12px;fill:var(--muted);text-anchor:middle}
svg .line{fill:none;stroke-width:1.8;stroke-linejoin:round}svg .line.dashed{stroke-dasharray:5 3}
svg .line.s0,svg .dot.s0{stroke:var(--s0)}svg .line.s1,svg .dot.s1{stroke:var(--s1)}
svg .line.s2,svg .dot.s2{stroke:var(--s2)}svg .line.s3,svg .dot.s3{stroke:var(--s3)}
svg .dot{fill:#fff;stroke-width:2}svg .cursor{stroke:var(--muted);stroke-dasharray:3 3}
svg .readout{font-size:12px;fill:var(--fg);paint-order:stroke;stroke:#fff;stroke-width:4px}
.legend{font-size:12px;color:var(--muted)}.key::before{content:"";display:inline-block;width:14px;height:3px;
margin:0 5px 3px 8px;vertical-align:middle;background:currentColor}
.key.s0::before{background:var(--s0)}.key.s1::before{background:var(--s1)}.key.s2::before{background:var(--s2)}.key.s3::before{background:var(--s3)}
dl.run{display:grid;grid-template-columns:180px 1fr;gap:2px 12px}dl.run dt{color:var(--muted)}dl.run dd{margin:0;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:12px;margin-top:30px}
@media (max-width:900px){.phase-grid{grid-template-columns:1fr}}
@media (max-width:760px){details.check>summary{grid-template-columns:60px 1fr}.exchange{grid-template-columns:1fr}}
@media print{details.check{break-inside:avoid}button{display:none}}
`;

/**
 * Copy buttons, expand/collapse, opening a check named in the URL fragment, and the chart hover
 * readout. It reads only its own JSON data block and the page's text nodes; it never builds markup
 * from strings, so report data cannot become script.
 */
export const SCRIPT = `(() => {
'use strict';
const dataEl = document.getElementById('wh-data');
const data = dataEl ? JSON.parse(dataEl.textContent || '{}') : {};
const reset = (btn) => setTimeout(() => { btn.textContent = 'copy'; }, 2500);
for (const btn of document.querySelectorAll('button.copy')) {
  btn.addEventListener('click', () => {
    const target = document.getElementById(btn.getAttribute('data-copy') || '');
    if (!target) return;
    const text = target.textContent || '';
    const select = () => {
      const range = document.createRange();
      range.selectNodeContents(target);
      const sel = window.getSelection();
      if (sel) { sel.removeAllRanges(); sel.addRange(range); }
      btn.textContent = 'selected: press Ctrl+C';
      reset(btn);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => { btn.textContent = 'copied'; reset(btn); }, select);
    } else {
      select();
    }
  });
}
const checks = () => Array.from(document.querySelectorAll('details.check'));
const expand = document.getElementById('expand-failed');
if (expand) expand.addEventListener('click', () => {
  for (const d of checks()) d.open = /\\b(fail|error|warn)\\b/.test(d.className);
});
const collapse = document.getElementById('collapse-all');
if (collapse) collapse.addEventListener('click', () => { for (const d of checks()) d.open = false; });
const openFromHash = () => {
  let id = '';
  try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
  const el = id ? document.getElementById(id) : null;
  if (!el || el.tagName !== 'DETAILS') return;
  for (let d = el; d; d = d.parentElement ? d.parentElement.closest('details') : null) d.open = true;
  el.scrollIntoView();
};
window.addEventListener('hashchange', openFromHash);
openFromHash();
const fmt = (v, unit) => v === null || v === undefined ? '–' :
  (unit === 'ms' ? (v >= 1000 ? (v / 1000).toFixed(2) + ' s' : v >= 10 ? v.toFixed(1) + ' ms' : v.toFixed(2) + ' ms')
  : (Math.round(v * 10) / 10) + unit);
for (const id of Object.keys(data.charts || {})) {
  const c = data.charts[id];
  const svg = document.getElementById(id);
  if (!svg || !c.xs.length) continue;
  const layer = svg.querySelector('g.hover');
  const cursor = layer.querySelector('line.cursor');
  const dots = layer.querySelectorAll('circle.dot');
  const readout = layer.querySelector('text.readout');
  const sx = (x) => c.plot.l + (c.x[1] === c.x[0] ? 0 : (x - c.x[0]) / (c.x[1] - c.x[0])) * c.plot.w;
  const ty = (v) => (c.ylog ? Math.log10(Math.max(v, c.y[0])) : v);
  const sy = (y) => c.plot.t + c.plot.h - (c.y[1] === c.y[0] ? 0 : (ty(Math.min(Math.max(y, c.y[0]), c.y[1])) - ty(c.y[0])) / (ty(c.y[1]) - ty(c.y[0]))) * c.plot.h;
  svg.addEventListener('mousemove', (ev) => {
    const m = svg.getScreenCTM();
    if (!m) return;
    const pt = svg.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    const p = pt.matrixTransform(m.inverse());
    let best = 0;
    for (let i = 1; i < c.xs.length; i++) if (Math.abs(sx(c.xs[i]) - p.x) < Math.abs(sx(c.xs[best]) - p.x)) best = i;
    const x = sx(c.xs[best]);
    cursor.setAttribute('x1', String(x));
    cursor.setAttribute('x2', String(x));
    const parts = [c.xLabels[best]];
    c.series.forEach((s, i) => {
      const y = s.ys[best];
      const dot = dots[i];
      if (y === null || y === undefined) { dot.setAttribute('visibility', 'hidden'); }
      else { dot.setAttribute('visibility', 'visible'); dot.setAttribute('cx', String(x)); dot.setAttribute('cy', String(sy(y))); }
      parts.push(s.name + ' ' + fmt(y, c.yUnit));
    });
    readout.textContent = parts.join('  ·  ');
    layer.setAttribute('visibility', 'visible');
  });
  svg.addEventListener('mouseleave', () => layer.setAttribute('visibility', 'hidden'));
}
document.documentElement.setAttribute('data-ready', '1');
})();`;

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** Nothing but the page's own style and script; no fetch, no frames, no forms, no base rewrite. */
export function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

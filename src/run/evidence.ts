import type { Evidence } from '../checks/types.js';
import type { DeliveryResult } from '../engine/delivery.js';
import type { Masker } from './mask.js';

/** Bytes of a body kept in evidence; the rest is summarised by its length. */
export const EXCERPT_BYTES = 2048;

export function excerpt(bytes: Uint8Array | undefined, max = EXCERPT_BYTES): string {
  if (!bytes || bytes.length === 0) return '';
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, max)).toString('utf8');
  return bytes.length > max ? `${text}… (${bytes.length} bytes)` : text;
}

/** POSIX single-quoting: safe for any byte string in a copy-pasted command line. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ReproducerContext {
  scenarioFile: string;
  masker: Masker;
  /** Extra `wh-bench send` arguments, e.g. `--mutation tampered-body`. */
  sendArgs?: string[];
}

export function reproducers(r: DeliveryResult, ctx: ReproducerContext): { send: string; curl: string } {
  const d = r.delivery;
  const send = ['npx', 'wh-bench', 'send', shellQuote(ctx.scenarioFile), '--target', shellQuote(d.url)]
    .concat((ctx.sendArgs ?? []).map(shellQuote))
    .join(' ');
  const headerArgs = ctx.masker
    .headers(d.headers)
    .flatMap(([n, v]) => ['-H', shellQuote(`${n}: ${v}`)])
    .join(' ');
  const body =
    d.body.length <= EXCERPT_BYTES
      ? `--data-binary ${shellQuote(ctx.masker.text(Buffer.from(d.body).toString('utf8')))}`
      : `--data-binary @body.json  # ${d.body.length} bytes, not inlined`;
  const curl = `curl -sS -i -X POST ${shellQuote(d.url)} ${headerArgs} ${body}`;
  return { send, curl };
}

/** Evidence for one exchange: what was sent (masked), what came back (capped, untrusted), timing. */
export function evidenceOf(
  label: string,
  r: DeliveryResult,
  ctx: ReproducerContext,
  note?: string,
): Evidence {
  const d = r.delivery;
  const ev: Evidence = {
    label,
    request: {
      method: d.method,
      url: d.url,
      headers: ctx.masker.headers(d.headers),
      bodyExcerpt: ctx.masker.text(excerpt(d.body)),
      bodyBytes: d.body.length,
    },
    response: {
      status: r.status ?? null,
      headers: r.headers ?? [],
      bodyExcerpt: ctx.masker.text(excerpt(r.body)),
      ...(r.errorClass ? { error: `${r.errorClass}${r.error ? `: ${r.error}` : ''}` } : {}),
    },
    timingMs: Math.round(r.uncorrectedUs) / 1000,
    reproducers: reproducers(r, ctx),
  };
  if (note) ev.note = note;
  return ev;
}

/** How a result reads in one phrase: "answered 500", "timed out after 30000 ms". */
export function describeAnswer(r: DeliveryResult): string {
  if (r.status !== undefined) return `answered ${r.status}`;
  if (r.errorClass === 'timeout') return `timed out after ${Math.round(r.uncorrectedUs / 1000)} ms`;
  return `failed (${r.errorClass ?? 'other'}${r.error ? `: ${r.error}` : ''})`;
}

export const is2xx = (r: DeliveryResult): boolean =>
  r.status !== undefined && r.status >= 200 && r.status < 300;
export const is4xx = (r: DeliveryResult): boolean =>
  r.status !== undefined && r.status >= 400 && r.status < 500;
export const is3xx = (r: DeliveryResult): boolean =>
  r.status !== undefined && r.status >= 300 && r.status < 400;

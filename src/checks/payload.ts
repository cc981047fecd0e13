/** Sizes and padded bodies for delivery.payload-size. Pure. */

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Sizes that sit on common framework limits: 100 KB (express.json/raw default) + 1, 1 MB and 1 MiB
 * (fastify's default), then GitHub-scale bodies. Capped at the preset's maximum, which is always tried.
 */
const LADDER = [64 * KiB, 100 * KiB + 1, 512 * KiB, 1_000_000, MiB, 5 * MiB, 10 * MiB, 25 * MiB];

export function payloadSteps(maxBytes: number, minBytes = 0): number[] {
  const steps = LADDER.filter((s) => s < maxBytes && s > minBytes);
  if (maxBytes > minBytes) steps.push(maxBytes);
  return steps;
}

export const PADDING_KEY = 'wh_bench_padding';
const FILLER = 'wh-bench payload-size filler 0123456789 abcdefghijklmnopqrstuvwxyz. ';

function filler(n: number): string {
  return FILLER.repeat(Math.ceil(n / FILLER.length)).slice(0, n);
}

/**
 * The body grown to exactly `size` bytes with a filler member (`"wh_bench_padding":"…"` before the
 * closing brace of a JSON object, or `&wh_bench_padding=…` for a form body). The event's own members
 * are untouched. Null when the body is already larger, or not a shape we can pad.
 */
export function padBody(body: Uint8Array, size: number): Uint8Array | null {
  const text = Buffer.from(body).toString('utf8');
  const trimmed = text.trimEnd();
  let head: string;
  let tail: string;
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    const inner = trimmed.slice(1, -1).trim();
    head = `${trimmed.slice(0, -1)}${inner === '' ? '' : ','}"${PADDING_KEY}":"`;
    tail = '"}';
  } else if (/^[^{[\s]/.test(trimmed) && trimmed.includes('=')) {
    head = `${trimmed}&${PADDING_KEY}=`;
    tail = '';
  } else {
    return null;
  }
  const fixed = Buffer.byteLength(head) + Buffer.byteLength(tail);
  if (fixed > size) return null;
  return Buffer.from(head + filler(size - fixed) + tail, 'utf8');
}

export function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= KiB && n % KiB === 0) return `${n / KiB} KiB`;
  if (n > KiB && n % KiB === 1) return `${(n - 1) / KiB} KiB + 1 byte`;
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000} MB`;
  return `${n} bytes`;
}

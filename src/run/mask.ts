import type { Header } from '../signing/types.js';

const MASK = '***';

/**
 * Every encoding in which a secret could leak: as written, its UTF-8 hex and base64, and for
 * `whsec_` keys the decoded key bytes in hex and base64 too. Short values are left alone (masking a
 * 2-character secret would mangle every report), but validation refuses secrets that short anyway.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < 4) continue;
    const bytes = Buffer.from(s, 'utf8');
    forms.add(s);
    forms.add(bytes.toString('hex'));
    forms.add(bytes.toString('base64'));
    forms.add(bytes.toString('base64url'));
    if (s.startsWith('whsec_')) {
      const raw = s.slice(6);
      forms.add(raw);
      const key = Buffer.from(raw, 'base64');
      if (key.length >= 8) {
        forms.add(key.toString('hex'));
        forms.add(key.toString('base64'));
      }
    }
  }
  // Longest first so a secret containing another is masked whole.
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

export interface Masker {
  text(s: string): string;
  headers(h: readonly Header[]): Header[];
}

export function createMasker(
  secrets: readonly string[],
  sensitiveHeaderNames: readonly string[] = [],
): Masker {
  const forms = secretForms(secrets);
  const sensitive = new Set(sensitiveHeaderNames.map((n) => n.toLowerCase()));
  const text = (s: string): string => {
    let out = s;
    for (const f of forms) if (out.includes(f)) out = out.split(f).join(MASK);
    return out;
  };
  return {
    text,
    headers: (h) => h.map(([n, v]) => [n, sensitive.has(n.toLowerCase()) ? MASK : text(v)] as Header),
  };
}

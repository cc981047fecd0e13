import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestForms, digestsIn, findLeak, signatureForms } from '../../src/checks/leak.js';

const digest = createHmac('sha256', 'k').update('body').digest();
const hex = digest.toString('hex');
const b64 = digest.toString('base64');

describe('leak detection', () => {
  it('finds the digests in every scheme header shape', () => {
    for (const value of [`t=1718000000,v1=${hex}`, `sha256=${hex}`, `v1,${b64}`, b64, `v0=${hex}`]) {
      const found = digestsIn([value]).map((d) => Buffer.from(d).toString('hex'));
      expect(found, value).toContain(hex);
    }
    expect(digestsIn(['t=1718000000'])).toEqual([]);
  });

  it('spells a digest every way a receiver might echo it', () => {
    expect(digestForms(digest)).toEqual(
      expect.arrayContaining([hex, hex.toUpperCase(), b64, digest.toString('base64url')]),
    );
    const forms = signatureForms(
      [
        ['X-Signature', `sha256=${hex}`],
        ['Other', 'x'.repeat(64)],
      ],
      ['X-Signature'],
    );
    expect(forms).toContain(b64);
    expect(forms.some((f) => f.includes('xxxx'))).toBe(false);
  });

  it('reports a form the answer holds and the request did not, secrets first', () => {
    const forms = { signature: [hex], secret: ['my-secret-value'] };
    expect(findLeak(`{"expected":"sha256=${hex}"}`, 'X-Signature: sha256=0000', forms)).toEqual({
      form: hex,
      kind: 'expected signature',
    });
    // Echoing back what was sent reveals nothing.
    expect(findLeak(`{"received":"${hex}"}`, `X-Signature: sha256=${hex}`, forms)).toBeNull();
    expect(findLeak('bad secret my-secret-value', '', forms)?.kind).toBe('secret');
    expect(findLeak('{"error":"invalid signature"}', '', forms)).toBeNull();
  });
});

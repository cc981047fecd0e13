import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeCommandData,
  escapeCommandProperty,
  escapeHtml,
  escapeMarkdown,
  escapeUntrustedHtml,
  escapeXml,
  escapeXmlAttr,
  jsonForScript,
  markdownCode,
  markdownFence,
  visibleText,
} from '../../src/report/escape.js';
import { oneLine, safeText } from '../../src/report/terminal.js';
import { HOSTILE } from './fixtures.js';

describe('escapeHtml', () => {
  it('leaves no markup character', () => {
    const out = escapeHtml(HOSTILE);
    expect(out).not.toMatch(/[<>"'`]/);
    expect(out).toContain('&#60;script&#62;');
  });

  it('never outputs < > quotes or a bare & for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"'`]/);
        expect(out).not.toMatch(/&(?!#\d+;)/);
      }),
    );
  });
});

describe('escapeUntrustedHtml', () => {
  it('makes bidi overrides, separators and controls visible instead of active', () => {
    const out = escapeUntrustedHtml('a\u202eb\u2028c\u0000d\u200be\ttab\nnl');
    expect(out).not.toMatch(/[\u202e\u2028\u0000\u200b]/);
    expect(out).toContain('<span class="cc">\\u202e</span>');
    expect(out).toContain('<span class="cc">\\u2028</span>');
    expect(out).toContain('<span class="cc">\\u0000</span>');
    expect(out).toContain('\ttab\nnl');
  });
});

describe('jsonForScript', () => {
  it('cannot close a script element or open a comment, and parses back to the same value', () => {
    const value = { s: HOSTILE, n: [1, 2], nested: { k: '</SCRIPT >\u2028<!--' } };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(value);
  });

  it('round-trips any string without a raw < or line separator', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const out = jsonForScript({ s });
        expect(out).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual({ s });
      }),
    );
  });
});

describe('escapeXml', () => {
  it('replaces characters XML 1.0 cannot carry and escapes markup', () => {
    const out = escapeXml('a\u0000b\u0007c\ud800d<e>&f\r');
    expect(out).toBe('a\\u0000b\\u0007c\\ud800d&#60;e&#62;&#38;f&#13;');
  });

  it('keeps a valid surrogate pair', () => {
    expect(escapeXml('emoji 🙂')).toBe('emoji 🙂');
  });

  it('escapes quotes and keeps newlines in attributes', () => {
    expect(escapeXmlAttr(`"x'\n\ty`)).toBe('&#34;x&#39;&#10;&#9;y');
  });
});

describe('Markdown', () => {
  it('escapes table breaks, code, HTML, links and newlines', () => {
    const out = escapeMarkdown('a | b `c` <img src=x> [l](javascript:x) **b**\nnext');
    expect(out).toBe('a \\| b \\`c\\` &#60;img src=x&#62; \\[l\\](javascript:x) \\*\\*b\\*\\* next');
  });

  it('fences code with more backticks than it contains', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('a|b')).toBe('`a\\|b`');
    const fence = markdownFence('x\n````\ny', 'sh');
    expect(fence.startsWith('`````sh\n')).toBe(true);
    expect(fence.endsWith('\n`````')).toBe(true);
  });
});

describe('workflow commands', () => {
  it('escapes % CR LF in data and also : , in properties', () => {
    expect(escapeCommandData('100%\r\n::error::x')).toBe('100%25%0D%0A::error::x');
    expect(escapeCommandProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
});

describe('terminal text', () => {
  it('safeText keeps newlines but shows escape sequences and bidi controls', () => {
    expect(safeText('\u001b[31mred\u202e\nnext')).toBe('\\u001b[31mred\\u202e\nnext');
  });

  it('oneLine keeps a summary on one line', () => {
    expect(oneLine('a\r\n::error::b\tc')).toBe('a\\n::error::b c');
  });

  it('visibleText leaves ordinary Unicode alone', () => {
    expect(visibleText('héllo 🙂 日本')).toBe('héllo 🙂 日本');
  });
});

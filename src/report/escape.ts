/**
 * Escaping for every output format. Anything that came from the target (status text, headers, bodies,
 * summaries quoting them) goes through one of these before it is written anywhere.
 */

/** Escapes text for HTML element content and attribute values (quoted either way). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Characters that are invisible or reorder what follows: C0/C1 controls (except tab and newline), the
 * bidi embeddings, overrides and isolates, line and paragraph separators, zero-width and BOM. Shown as
 * `\u202e` so a response cannot make a report lie about what it says ("Trojan Source").
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export const codePoint = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Untrusted text for HTML: escaped, with invisible characters made visible in a marked span. */
export function escapeUntrustedHtml(s: string): string {
  return escapeHtml(s).replace(INVISIBLE, (c) => `<span class="cc">${codePoint(c)}</span>`);
}

/** The same characters, made visible in plain text (terminal, XML, Markdown, annotations). */
export function visibleText(s: string): string {
  return s.replace(INVISIBLE, codePoint);
}

/**
 * JSON inside an HTML `<script>` element: `<`, `>` and `&` become `\u003c`… so neither `</script>`
 * nor `<!--` can end or alter the element; U+2028/2029 are escaped for old JS parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, codePoint);
}

/**
 * XML text content. XML 1.0 cannot carry most control characters, even as references: those (and
 * lone surrogates, U+FFFE/FFFF) become `\uXXXX` text; `&`, `<` and `>` become references.
 */
export function escapeXml(s: string): string {
  return (
    s
      // characters XML 1.0 forbids, lone surrogates, U+FFFE/FFFF
      .replace(
        /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
        codePoint,
      )
      .replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)
      // A bare CR is normalised away by parsers unless written as a reference.
      .replace(/\r/g, '&#13;')
  );
}

/** escapeXml for attribute values: quotes too, and newlines and tabs kept as references. */
export function escapeXmlAttr(s: string): string {
  return escapeXml(s)
    .replace(/["']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/**
 * Text for a Markdown table cell or line: no HTML, no code spans, links, emphasis or table breaks;
 * newlines become spaces (a cell is one line).
 */
export function escapeMarkdown(s: string): string {
  return visibleText(s.replace(/\r\n|\r|\n/g, ' '))
    .replace(/[\\`*_[\]|~#!]/g, (c) => `\\${c}`)
    .replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A Markdown code span that no content can close early: the fence is longer than any backtick run. */
export function markdownCode(s: string): string {
  const text = visibleText(s.replace(/\r\n|\r|\n/g, ' '));
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  // `|` still splits a table row inside a code span on GitHub; its backslash escape works there.
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A fenced code block no content can close: the fence is longer than any backtick run inside. */
export function markdownFence(s: string, lang = ''): string {
  const text = visibleText(s);
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** GitHub workflow command data (the text after `::`): % CR LF escaped so it stays one command. */
export function escapeCommandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub workflow command property values (title=…): also `:` and `,`. */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

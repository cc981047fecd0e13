import type { KeyObject } from 'node:crypto';
import { UserError } from '../errors.js';
import { contentType, requireSecrets } from './common.js';
import { type HmacPart, hmacParts, secretKey } from './hmac.js';
import type {
  GenericHmacOptions,
  Header,
  SchemeOptions,
  Signer,
  SignInput,
  TimestampFormat,
} from './types.js';

export const GENERIC_USER_AGENT = 'wh-bench-webhooks/1.0';
export const DEFAULT_TEMPLATE = '{body}';

type Placeholder = 'id' | 'timestamp' | 'body' | 'url';
/** A template compiled once: literals pre-encoded, placeholders filled per delivery. */
export type TemplatePart = { literal: Uint8Array } | { field: Placeholder };

/** What a generic signature covers; the timestamp as it appears in its header. */
export interface GenericContent {
  body: Uint8Array;
  id: string;
  timestamp: string;
  url?: string;
}

const FIELDS: ReadonlySet<string> = new Set(['id', 'timestamp', 'body', 'url']);
const utf8 = new TextEncoder();

/** Splits `{timestamp}.{body}` into parts; an unknown `{name}` is a user error, not a literal. */
export function compileTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  const re = /\{([A-Za-z_]+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    const name = m[1]!;
    if (!FIELDS.has(name)) {
      throw new UserError(
        `the signature template uses an unknown placeholder {${name}}`,
        'use {id}, {timestamp}, {body} and {url} only',
      );
    }
    literal += template.slice(last, m.index);
    if (literal) parts.push({ literal: utf8.encode(literal) });
    literal = '';
    parts.push({ field: name as Placeholder });
    last = m.index + m[0].length;
  }
  literal += template.slice(last);
  if (literal) parts.push({ literal: utf8.encode(literal) });
  return parts;
}

export function templateUses(parts: readonly TemplatePart[], field: Placeholder): boolean {
  return parts.some((p) => 'field' in p && p.field === field);
}

export function formatTimestamp(unixSeconds: number, format: TimestampFormat = 'unix'): string {
  if (format === 'unix_ms') return String(unixSeconds * 1000);
  if (format === 'iso') return new Date(unixSeconds * 1000).toISOString();
  return String(unixSeconds);
}

export function genericKey(secret: string): KeyObject {
  return secretKey(secret);
}

/** `<prefix><encoded HMAC of the template filled with content>`. */
export function genericSignature(
  key: KeyObject,
  options: GenericHmacOptions,
  content: GenericContent,
  parts: readonly TemplatePart[] = compileTemplate(options.template ?? DEFAULT_TEMPLATE),
): string {
  const pieces: HmacPart[] = [];
  for (const p of parts) {
    if ('literal' in p) pieces.push(p.literal);
    else if (p.field === 'body') pieces.push(content.body);
    else if (p.field === 'url') {
      // A bug, not a user error: the planner always knows the target URL.
      if (content.url === undefined) throw new Error('the generic template signs {url} but no url was given');
      pieces.push(content.url);
    } else pieces.push(content[p.field]);
  }
  return (options.prefix ?? '') + hmacParts(key, options.algorithm, options.encoding, pieces);
}

export function validateGenericOptions(options: GenericHmacOptions | undefined): GenericHmacOptions {
  if (!options) {
    throw new UserError('the generic-hmac scheme needs its options', 'set provider.generic in the scenario');
  }
  if (!options.signatureHeader) {
    throw new UserError('provider.generic.signatureHeader is empty', 'name the header, e.g. X-Signature');
  }
  if (!['sha1', 'sha256', 'sha512'].includes(options.algorithm)) {
    throw new UserError(`unknown HMAC algorithm ${String(options.algorithm)}`, 'use sha1, sha256 or sha512');
  }
  if (!['hex', 'base64'].includes(options.encoding)) {
    throw new UserError(`unknown signature encoding ${String(options.encoding)}`, 'use hex or base64');
  }
  return options;
}

/** Single-signature: secrets[0] signs; id and timestamp headers only when configured. */
export function createGenericSigner(secrets: readonly string[], options: SchemeOptions = {}): Signer {
  const g = validateGenericOptions(options.generic);
  const key = genericKey(requireSecrets(secrets)[0]!);
  const parts = compileTemplate(g.template ?? DEFAULT_TEMPLATE);
  const type = contentType(options);
  return {
    scheme: 'generic-hmac',
    sign(input: SignInput): Header[] {
      const timestamp = formatTimestamp(input.timestamp, g.timestampFormat);
      const signature = genericSignature(
        key,
        g,
        { body: input.body, id: input.id, timestamp, url: input.url },
        parts,
      );
      const headers: Header[] = [
        ['Content-Type', type],
        ['User-Agent', GENERIC_USER_AGENT],
      ];
      if (g.idHeader) headers.push([g.idHeader, input.id]);
      if (g.timestampHeader) headers.push([g.timestampHeader, timestamp]);
      headers.push([g.signatureHeader, signature]);
      return headers;
    },
  };
}

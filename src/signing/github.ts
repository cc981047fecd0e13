import type { KeyObject } from 'node:crypto';
import { contentType, requireSecrets } from './common.js';
import { hmacEncoded, secretKey } from './hmac.js';
import type { Header, SchemeOptions, Signer, SignInput } from './types.js';

export const GITHUB_SIGNATURE_HEADER = 'X-Hub-Signature-256';
/** Legacy SHA-1 header, still sent by GitHub next to the SHA-256 one. */
export const GITHUB_LEGACY_SIGNATURE_HEADER = 'X-Hub-Signature';
export const GITHUB_DELIVERY_HEADER = 'X-GitHub-Delivery';
export const GITHUB_EVENT_HEADER = 'X-GitHub-Event';
/** GitHub-Hookshot/<short hex build id>, as github.com sends it. */
export const GITHUB_USER_AGENT = 'GitHub-Hookshot/3a1f2b7';
export const DEFAULT_HOOK_ID = '482937561';
const DEFAULT_TARGET_ID = '739104265';

export function githubKey(secret: string): KeyObject {
  return secretKey(secret);
}

/** `sha256=<hex>` (or the legacy `sha1=<hex>`): HMAC of the raw body alone, lowercase hex. */
export function githubSignature(key: KeyObject, body: Uint8Array, alg: 'sha256' | 'sha1' = 'sha256'): string {
  return `${alg}=${hmacEncoded(key, alg, 'hex', '', body)}`;
}

/**
 * GitHub's event header carries the event name only (`issues`); scenarios may name events with
 * their action (`issues.opened`), so the part after the first dot is dropped.
 */
export function githubEventName(eventType: string): string {
  const dot = eventType.indexOf('.');
  return dot === -1 ? eventType : eventType.slice(0, dot);
}

/** Single-signature: secrets[0] signs; no timestamp, the delivery id is the dedupe key. */
export function createGithubSigner(secrets: readonly string[], options: SchemeOptions = {}): Signer {
  const key = githubKey(requireSecrets(secrets)[0]!);
  const type = contentType(options);
  const hookId = options.hookId ?? DEFAULT_HOOK_ID;
  return {
    scheme: 'github',
    sign(input: SignInput): Header[] {
      return [
        ['Accept', '*/*'],
        ['Content-Type', type],
        ['User-Agent', GITHUB_USER_AGENT],
        [GITHUB_DELIVERY_HEADER, input.id],
        [GITHUB_EVENT_HEADER, githubEventName(input.eventType)],
        ['X-GitHub-Hook-ID', hookId],
        ['X-GitHub-Hook-Installation-Target-ID', DEFAULT_TARGET_ID],
        ['X-GitHub-Hook-Installation-Target-Type', 'repository'],
        [GITHUB_LEGACY_SIGNATURE_HEADER, githubSignature(key, input.body, 'sha1')],
        [GITHUB_SIGNATURE_HEADER, githubSignature(key, input.body, 'sha256')],
      ];
    },
  };
}

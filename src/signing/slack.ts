import type { KeyObject } from 'node:crypto';
import { contentType, requireSecrets } from './common.js';
import { hmacEncoded, secretKey } from './hmac.js';
import type { Header, SchemeOptions, Signer, SignInput } from './types.js';

export const SLACK_SIGNATURE_HEADER = 'X-Slack-Signature';
export const SLACK_TIMESTAMP_HEADER = 'X-Slack-Request-Timestamp';
export const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

export function slackKey(secret: string): KeyObject {
  return secretKey(secret);
}

/** `v0=<hex HMAC-SHA256 of "v0:<ts>:<raw body>">`. */
export function slackSignature(key: KeyObject, timestamp: number | string, body: Uint8Array): string {
  return `v0=${hmacEncoded(key, 'sha256', 'hex', `v0:${timestamp}:`, body)}`;
}

/** Single-signature: secrets[0] signs. Retry headers are the engine's (they depend on the attempt). */
export function createSlackSigner(secrets: readonly string[], options: SchemeOptions = {}): Signer {
  const key = slackKey(requireSecrets(secrets)[0]!);
  const type = contentType(options);
  return {
    scheme: 'slack',
    sign(input: SignInput): Header[] {
      return [
        ['Content-Type', type],
        ['User-Agent', SLACK_USER_AGENT],
        ['Accept', '*/*'],
        [SLACK_TIMESTAMP_HEADER, String(input.timestamp)],
        [SLACK_SIGNATURE_HEADER, slackSignature(key, input.timestamp, input.body)],
      ];
    },
  };
}

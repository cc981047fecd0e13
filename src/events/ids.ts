import { randomBytes } from 'node:crypto';

// RFC 4648 base32, lower-cased: URL-safe, case-insensitive stores keep ids distinct, no ambiguous `0/1`.
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A short run id: 10 base32 characters (50 random bits). Every event id carries it so a second run
 * against a persistent database never collides with the first (DESIGN.md, event ids).
 */
export function newRunId(length = 10): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[bytes[i]! & 31];
  return out;
}

/** `evt_<runId>_<seq>`: the preset's prefix, the run id, the delivery sequence number. */
export function eventId(prefix: string, runId: string, seq: number): string {
  return `${prefix}${runId}_${seq}`;
}

import { BlockList, isIP } from 'node:net';
import { UserError } from '../errors.js';

/** Tells whether a peer address may deliver. */
export type SourceFilter = (remoteAddress: string | undefined) => boolean;

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** From `127.0.0.1`, `10.0.0.0/8`, `::1`... (addresses or CIDR ranges); null without entries: everyone may. */
export function createSourceFilter(entries: readonly string[] | undefined): SourceFilter | null {
  if (!entries || entries.length === 0) return null;
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [addr = '', bits] = entry.split('/');
    const family = isIP(addr);
    const prefix = bits === undefined ? null : Number(bits);
    const max = family === 4 ? 32 : 128;
    if (family === 0 || (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))) {
      throw new UserError(
        `not an IP address or CIDR range: ${entry}`,
        'use forms such as 127.0.0.1, 10.0.0.0/8 or ::1',
      );
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === null) list.addAddress(addr, type);
    else list.addSubnet(addr, prefix, type);
  }
  return (remote) => {
    if (!remote) return false;
    // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
    const v4 = MAPPED_V4.exec(remote)?.[1];
    if (v4 !== undefined) return list.check(v4, 'ipv4') || list.check(remote, 'ipv6');
    return list.check(remote, isIP(remote) === 4 ? 'ipv4' : 'ipv6');
  };
}

/** True for addresses only this machine can reach; `serve` warns about anything else. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

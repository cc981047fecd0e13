import { isIP } from 'node:net';
import { connect, type SecureVersion } from 'node:tls';
import { sourceIpCases } from './cases.js';
import { checkMeta } from './catalog.js';
import { rejectOne } from './judge.js';
import type { CheckDefinition, Verdict } from './types.js';

const TLS = 'transport.tls';
const HTTPS = 'transport.https';
const SOURCE_IP = 'transport.source-ip';

const HANDSHAKE_TIMEOUT_MS = 10_000;
const MODERN = new Set(['TLSv1.2', 'TLSv1.3']);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

export interface Handshake {
  protocol: string | null;
  authorized: boolean;
  authorizationError?: string;
  error?: string;
}

/** One TLS handshake, nothing sent after it. Never throws: an error is part of the answer. */
export function handshake(
  url: URL,
  o: { ca?: string; minVersion?: SecureVersion; maxVersion?: SecureVersion; legacyCiphers?: boolean },
): Promise<Handshake> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    let done = false;
    const finish = (h: Handshake) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(h);
    };
    const socket = connect(
      {
        host,
        port: Number(url.port) || 443,
        servername: isIP(host) === 0 ? host : undefined,
        // Judged below from `authorized`, so that the report can say why a certificate is refused.
        rejectUnauthorized: false,
        ...(o.ca ? { ca: o.ca } : {}),
        ...(o.minVersion ? { minVersion: o.minVersion } : {}),
        ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}),
        // TLS 1.0/1.1 ciphers sit below OpenSSL 3's default security level: lower it to ask for them.
        ...(o.legacyCiphers ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
      },
      () => {
        const err = socket.authorizationError;
        finish({
          protocol: socket.getProtocol(),
          authorized: socket.authorized,
          ...(err
            ? {
                authorizationError:
                  typeof err === 'string' ? err : ((err as { code?: string }).code ?? err.message),
              }
            : {}),
        });
      },
    );
    socket.on('error', (e: NodeJS.ErrnoException) =>
      finish({ protocol: null, authorized: false, error: e.code ?? e.message }),
    );
    const timer = setTimeout(
      () => finish({ protocol: null, authorized: false, error: 'handshake timed out' }),
      HANDSHAKE_TIMEOUT_MS,
    );
  });
}

export const transportTls: CheckDefinition = {
  ...checkMeta(TLS),
  async conformance(ctx): Promise<Verdict> {
    const url = new URL(ctx.targetUrl);
    if (url.protocol !== 'https:')
      return { status: 'skip', summary: 'the target is http: there is no TLS to check' };
    const ca = ctx.scenario.target.tls.ca;
    const modern = await handshake(url, { ...(ca ? { ca } : {}) });
    if (modern.protocol === null) {
      return {
        status: 'error',
        summary: `the TLS handshake with ${url.host} failed (${modern.error}), so TLS could not be judged`,
      };
    }
    const legacy = await handshake(url, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', legacyCiphers: true });
    const problems: string[] = [];
    if (!modern.authorized) {
      problems.push(
        `the certificate is not trusted (${modern.authorizationError ?? 'unknown reason'}): providers refuse it; serve a certificate from a public CA that names ${url.hostname}`,
      );
    }
    if (!MODERN.has(modern.protocol))
      problems.push(`it negotiated ${modern.protocol}: enable TLS 1.2 or 1.3`);
    if (legacy.protocol !== null)
      problems.push(`it still accepts ${legacy.protocol}: disable TLS 1.0 and 1.1`);
    if (problems.length > 0) {
      return {
        status: 'fail',
        summary: problems.join('; '),
        evidence: [
          {
            label: 'TLS handshakes',
            note:
              `default handshake: ${modern.protocol}, certificate ${modern.authorized ? 'trusted' : `not trusted (${modern.authorizationError})`}` +
              `\nTLS 1.0/1.1 only: ${legacy.protocol ? `accepted (${legacy.protocol})` : `refused (${legacy.error})`}`,
          },
        ],
      };
    }
    return {
      status: 'pass',
      summary: `${modern.protocol} with a trusted certificate; TLS 1.0 and 1.1 refused`,
    };
  },
};

/** Judged from the URL the deliveries went to, whatever stage ran. */
export const transportHttps: CheckDefinition = {
  ...checkMeta(HTTPS),
  load(ctx): Verdict {
    const target = ctx.preflight?.delivery.url ?? ctx.samples[0]?.delivery.url;
    if (!target) return { status: 'skip', summary: 'no delivery was sent' };
    const url = new URL(target);
    if (isLoopbackHost(url.hostname)) {
      return {
        status: 'skip',
        summary: `the target is on loopback (${url.hostname}): https is not expected there`,
      };
    }
    if (url.protocol === 'https:')
      return { status: 'pass', summary: `the target ${url.host} is served over https` };
    return {
      status: 'fail',
      summary: `the target ${url.host} is plain http: payloads and signatures travel in clear text; terminate TLS in front of the receiver`,
    };
  },
};

export const transportSourceIp: CheckDefinition = {
  ...checkMeta(SOURCE_IP),
  async conformance(ctx): Promise<Verdict> {
    const from = ctx.scenario.target.disallowedSourceAddress;
    const v = await rejectOne(
      ctx,
      sourceIpCases(ctx, SOURCE_IP),
      `a correctly signed delivery from ${from}, an address outside the allowlist`,
      'enforce the allowlist on the client address (or the one your proxy reports in X-Forwarded-For)',
      false,
    );
    // Could not even send from that address: the check cannot judge the receiver.
    if (v.status === 'fail' && v.summary.includes('local address not available')) {
      return {
        status: 'error',
        summary: `could not send from ${from}: no such local address on this machine; name one it has (e.g. 127.0.0.2)`,
      };
    }
    return v;
  },
};

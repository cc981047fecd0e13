import type { ErrorClass } from './delivery.js';

export interface ClassifiedError {
  errorClass: ErrorClass;
  /** Short and fixed-vocabulary: never echoes a request, so never a secret. */
  message: string;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'EPROTO',
  'UND_ERR_PRX_TLS',
]);

const BY_CODE: Record<string, [ErrorClass, string]> = {
  ECONNREFUSED: ['refused', 'connection refused'],
  ECONNRESET: ['reset', 'connection reset by the peer'],
  EPIPE: ['reset', 'connection closed while writing'],
  ECONNABORTED: ['reset', 'connection aborted'],
  UND_ERR_SOCKET: ['reset', 'the server closed the connection'],
  UND_ERR_CLOSED: ['reset', 'the connection was closed'],
  UND_ERR_DESTROYED: ['reset', 'the connection was destroyed'],
  ENOTFOUND: ['dns', 'host name not found'],
  EAI_AGAIN: ['dns', 'temporary DNS failure'],
  EAI_FAIL: ['dns', 'DNS failure'],
  EAI_NODATA: ['dns', 'no DNS record'],
  ETIMEDOUT: ['timeout', 'timed out'],
  UND_ERR_CONNECT_TIMEOUT: ['timeout', 'connect timed out'],
  UND_ERR_HEADERS_TIMEOUT: ['timeout', 'timed out waiting for response headers'],
  UND_ERR_BODY_TIMEOUT: ['timeout', 'timed out reading the response body'],
  UND_ERR_HEADERS_OVERFLOW: ['protocol', 'response headers too large'],
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: ['protocol', 'response body does not match Content-Length'],
  UND_ERR_RES_EXCEEDED_MAX_SIZE: ['protocol', 'response too large'],
  UND_ERR_INFO: ['protocol', 'unexpected informational response'],
  EHOSTUNREACH: ['other', 'host unreachable'],
  ENETUNREACH: ['other', 'network unreachable'],
  EADDRNOTAVAIL: ['other', 'local address not available'],
};

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  cause?: unknown;
  errors?: unknown;
  message?: unknown;
}

const asErrorLike = (e: unknown): ErrorLike | undefined =>
  typeof e === 'object' && e !== null ? (e as ErrorLike) : undefined;

function classifyOne(e: ErrorLike): ClassifiedError | undefined {
  const code = typeof e.code === 'string' ? e.code : '';
  const name = typeof e.name === 'string' ? e.name : '';
  const known = BY_CODE[code];
  if (known) return { errorClass: known[0], message: `${known[1]} (${code})` };
  if (code.startsWith('HPE_') || name === 'HTTPParserError') {
    return { errorClass: 'protocol', message: `malformed HTTP response (${code || name})` };
  }
  if (
    TLS_CODES.has(code) ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.includes('CERT')
  ) {
    return { errorClass: 'tls', message: `TLS failure (${code})` };
  }
  return undefined;
}

/** Maps an error from undici, node:net or node:tls to its class, looking through causes and aggregates. */
export function classifyError(err: unknown): ClassifiedError {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = asErrorLike(queue.shift());
    if (!e || seen.has(e)) continue;
    seen.add(e);
    const hit = classifyOne(e);
    if (hit) return hit;
    if (e.cause !== undefined) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  const e = asErrorLike(err);
  const label = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error';
  return { errorClass: 'other', message: `request failed (${label})` };
}

import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/engine/classify.js';

const err = (props: Record<string, unknown>): Error => Object.assign(new Error('boom secret=whsec_x'), props);

describe('classifyError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 'refused'],
    [{ code: 'ECONNRESET' }, 'reset'],
    [{ code: 'EPIPE' }, 'reset'],
    [{ code: 'UND_ERR_SOCKET' }, 'reset'],
    [{ code: 'ENOTFOUND' }, 'dns'],
    [{ code: 'EAI_AGAIN' }, 'dns'],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, 'timeout'],
    [{ code: 'ETIMEDOUT' }, 'timeout'],
    [{ code: 'HPE_INVALID_CONSTANT', name: 'HTTPParserError' }, 'protocol'],
    [{ name: 'HTTPParserError' }, 'protocol'],
    [{ code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' }, 'protocol'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls'],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'tls'],
    [{ code: 'EWHATEVER' }, 'other'],
  ])('%o is %s', (props, cls) => {
    expect(classifyError(err(props)).errorClass).toBe(cls);
  });

  it('looks through causes and aggregate errors', () => {
    expect(classifyError(err({ cause: err({ code: 'ECONNREFUSED' }) })).errorClass).toBe('refused');
    const agg = Object.assign(new AggregateError([err({ code: 'ECONNREFUSED' })]), {});
    expect(classifyError(agg).errorClass).toBe('refused');
  });

  it('never echoes the error message (which could carry request data)', () => {
    for (const props of [{ code: 'ECONNREFUSED' }, { code: 'EWHATEVER' }, {}]) {
      expect(classifyError(err(props)).message).not.toMatch(/whsec/);
    }
    expect(classifyError('a string').errorClass).toBe('other');
    expect(classifyError(null).errorClass).toBe('other');
  });
});

/** Known-answer vectors from shared/PROVIDERS.md, through the low-level functions and the signers. */
import { describe, expect, it } from 'vitest';
import {
  createSigner,
  githubKey,
  githubSignature,
  slackKey,
  slackSignature,
  standardKey,
  standardSignature,
} from '../../src/signing/index.js';

const utf8 = new TextEncoder();
const header = (headers: [string, string][], name: string) => headers.find(([k]) => k === name)?.[1];

describe('GitHub', () => {
  const secret = "It's a Secret to Everybody";
  const body = utf8.encode('Hello, World!');
  const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('githubSignature gives the documented value', () => {
    expect(githubSignature(githubKey(secret), body)).toBe(expected);
  });

  it('the signer puts it in X-Hub-Signature-256', () => {
    const headers = createSigner('github', [secret]).sign({
      body,
      timestamp: 1,
      id: 'd-1',
      eventType: 'ping',
    });
    expect(header(headers, 'X-Hub-Signature-256')).toBe(expected);
  });

  it('a different body gives a different value', () => {
    expect(githubSignature(githubKey(secret), utf8.encode('Hello, World?'))).not.toBe(expected);
  });
});

describe('Slack', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const timestamp = 1531420618;
  const body = utf8.encode(
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  );
  const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

  it('slackSignature gives the documented value', () => {
    expect(slackSignature(slackKey(secret), timestamp, body)).toBe(expected);
  });

  it('the signer sends it with the timestamp, form-encoded when asked', () => {
    const headers = createSigner('slack', [secret], {
      contentType: 'application/x-www-form-urlencoded',
    }).sign({
      body,
      timestamp,
      id: 'Ev1',
      eventType: 'slash_command',
    });
    expect(header(headers, 'X-Slack-Signature')).toBe(expected);
    expect(header(headers, 'X-Slack-Request-Timestamp')).toBe('1531420618');
    expect(header(headers, 'Content-Type')).toBe('application/x-www-form-urlencoded');
  });
});

describe('Standard Webhooks', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = utf8.encode('{"test": 2432232314}');
  const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

  it('standardSignature gives the documented value', () => {
    expect(standardSignature(standardKey(secret), id, timestamp, body)).toBe(expected);
  });

  it('the signer sends webhook-id, webhook-timestamp and webhook-signature', () => {
    const headers = createSigner('standard-webhooks', [secret]).sign({ body, timestamp, id, eventType: 'x' });
    expect(header(headers, 'webhook-id')).toBe(id);
    expect(header(headers, 'webhook-timestamp')).toBe('1614265330');
    expect(header(headers, 'webhook-signature')).toBe(expected);
  });

  it('the key is the base64 after whsec_ (the bare base64 gives the same key)', () => {
    expect(standardSignature(standardKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), id, timestamp, body)).toBe(
      expected,
    );
  });
});

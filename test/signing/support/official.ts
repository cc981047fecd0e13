/**
 * The providers' official verifiers, each behind a real node:http server on 127.0.0.1:0, plus
 * independent node:crypto references for the generic scheme. Nothing here uses src/signing: these
 * are the judges, and a judge built from the code under test would agree with any bug.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWithFallback } from '@octokit/webhooks-methods';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { HTTPModuleFunctions } from '@slack/bolt';
import { Webhook as StandardWebhook, WebhookVerificationError } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import type { GenericHmacOptions, SchemeName } from '../../../src/signing/types.js';

export type Verdict = { accepted: true } | { accepted: false; reason: string };

/** What the verifier sees: the request as node:http parsed it (joined duplicates, trimmed values). */
export interface Received {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
}

export interface OfficialVerifier {
  /** The package that judges, e.g. `stripe` or `svix`. */
  name: string;
  scheme: SchemeName;
  verify(r: Received): Promise<Verdict>;
}

const reject = (reason: string): Verdict => ({ accepted: false, reason });
const ACCEPT: Verdict = { accepted: true };

/** The first secret that verifies wins: a receiver that knows several secrets during a rotation. */
async function anyOf(
  secrets: readonly string[],
  one: (secret: string) => Promise<Verdict>,
): Promise<Verdict> {
  let last: Verdict = reject('no secret');
  for (const s of secrets) {
    last = await one(s);
    if (last.accepted) return last;
  }
  return last;
}

const stripeSignatureError = (e: unknown): boolean =>
  e instanceof Error && (e as { type?: string }).type === 'StripeSignatureVerificationError';

export function stripeVerifier(secrets: readonly string[]): OfficialVerifier {
  return {
    name: 'stripe',
    scheme: 'stripe',
    verify: ({ req, body }) =>
      anyOf(secrets, async (secret) => {
        try {
          Stripe.webhooks.constructEvent(body, req.headers['stripe-signature'] as string, secret);
          return ACCEPT;
        } catch (e) {
          if (stripeSignatureError(e)) return reject((e as Error).message.split('\n')[0]!);
          throw e;
        }
      }),
  };
}

export function octokitVerifier(secrets: readonly string[]): OfficialVerifier {
  const [current, ...others] = secrets;
  return {
    name: '@octokit/webhooks-methods',
    scheme: 'github',
    async verify({ req, body }) {
      const sig = req.headers['x-hub-signature-256'];
      // @octokit/webhooks answers 400 before calling verify when the header is missing.
      if (typeof sig !== 'string' || sig === '') return reject('missing x-hub-signature-256');
      const ok = await verifyWithFallback(current!, body.toString('utf8'), sig, others);
      return ok ? ACCEPT : reject('signature mismatch');
    },
  };
}

export function boltVerifier(secrets: readonly string[]): OfficialVerifier {
  return {
    name: '@slack/bolt',
    scheme: 'slack',
    verify: ({ req, body }) =>
      anyOf(secrets, async (signingSecret) => {
        // Bolt's own HTTP glue: reads the headers as its receivers do, then verifySlackRequest.
        const buffered = Object.assign(req, { rawBody: body });
        try {
          await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ signingSecret }, buffered);
          return ACCEPT;
        } catch (e) {
          if (e instanceof Error && e.message.startsWith('Failed to verify authenticity'))
            return reject(e.message);
          throw e;
        }
      }),
  };
}

function webhookHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function standardVerifier(secrets: readonly string[]): OfficialVerifier {
  return {
    name: 'standardwebhooks',
    scheme: 'standard-webhooks',
    verify: ({ req, body }) =>
      anyOf(secrets, async (secret) => {
        try {
          new StandardWebhook(secret).verify(body, webhookHeaders(req.headers));
          return ACCEPT;
        } catch (e) {
          if (e instanceof WebhookVerificationError) return reject(e.message);
          throw e;
        }
      }),
  };
}

export function svixVerifier(secrets: readonly string[]): OfficialVerifier {
  return {
    name: 'svix',
    scheme: 'standard-webhooks',
    verify: ({ req, body }) =>
      anyOf(secrets, async (secret) => {
        try {
          new SvixWebhook(secret).verify(body, webhookHeaders(req.headers));
          return ACCEPT;
        } catch (e) {
          // svix 1.x bundles its own copy of standardwebhooks: match the class by name.
          if (e instanceof Error && e.name === 'WebhookVerificationError') return reject(e.message);
          throw e;
        }
      }),
  };
}

export function shopifyVerifier(secrets: readonly string[]): OfficialVerifier {
  const apps = secrets.map((apiSecretKey) =>
    shopifyApi({
      apiKey: 'wh-bench-test',
      apiSecretKey,
      hostName: 'localhost',
      apiVersion: ApiVersion.January25,
      isEmbeddedApp: false,
      logger: { level: LogSeverity.Error, log: async () => {} },
    }),
  );
  return {
    name: '@shopify/shopify-api',
    scheme: 'shopify',
    async verify({ req, res, body }) {
      let last: Verdict = reject('no secret');
      for (const app of apps) {
        const result = await app.webhooks.validate({
          rawBody: body.toString('utf8'),
          rawRequest: req,
          rawResponse: res,
        });
        if (result.valid) return ACCEPT;
        last = reject(
          'missingHeaders' in result
            ? `${result.reason}: ${result.missingHeaders.join(', ')}`
            : result.reason,
        );
      }
      return last;
    },
  };
}

/**
 * The generic scheme has no official library: this strict reference reads the options, rebuilds
 * the signed content with node:crypto, compares exactly, and checks the timestamp both ways.
 */
export function genericReference(
  secrets: readonly string[],
  g: GenericHmacOptions,
  toleranceSec: number,
): OfficialVerifier {
  const template = g.template ?? '{body}';
  return {
    name: 'node:crypto reference',
    scheme: 'generic-hmac',
    verify: ({ req, body }) =>
      anyOf(secrets, async (secret) => {
        const h = req.headers;
        // The URL the sender targeted, as this server was reached.
        const url = `http://${h.host}${req.url}`;
        const sig = h[g.signatureHeader.toLowerCase()];
        if (typeof sig !== 'string' || sig === '') return reject('missing signature');
        const ts = g.timestampHeader ? h[g.timestampHeader.toLowerCase()] : undefined;
        const id = g.idHeader ? h[g.idHeader.toLowerCase()] : undefined;
        const mac = createHmac(g.algorithm, secret);
        for (const piece of template.split(/(\{id\}|\{timestamp\}|\{body\}|\{url\})/)) {
          if (piece === '{body}') mac.update(body);
          else if (piece === '{id}') mac.update(String(id ?? ''));
          else if (piece === '{timestamp}') mac.update(String(ts ?? ''));
          else if (piece === '{url}') mac.update(url);
          else mac.update(piece);
        }
        const expected = Buffer.from((g.prefix ?? '') + mac.digest(g.encoding));
        const given = Buffer.from(sig);
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reject('mismatch');
        if (template.includes('{timestamp}') && g.timestampHeader) {
          const t = parseGenericTimestamp(String(ts ?? ''), g.timestampFormat ?? 'unix');
          if (t === null) return reject('unreadable timestamp');
          if (Math.abs(Date.now() / 1000 - t) > toleranceSec) return reject('timestamp outside tolerance');
        }
        return ACCEPT;
      }),
  };
}

function parseGenericTimestamp(v: string, format: 'unix' | 'unix_ms' | 'iso'): number | null {
  if (format === 'iso') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? null : ms / 1000;
  }
  if (!/^\d+$/.test(v)) return null;
  return format === 'unix_ms' ? Number(v) / 1000 : Number(v);
}

export interface VerifierServer {
  url: string;
  port: number;
  /** Verdicts in arrival order, for diagnostics. */
  verdicts: Verdict[];
  close(): Promise<void>;
}

/** 200 when the verifier accepts, 401 when it rejects, 500 with the message when it throws. */
export async function startVerifierServer(v: OfficialVerifier): Promise<VerifierServer> {
  const verdicts: Verdict[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      v.verify({ req, res, body: Buffer.concat(chunks) }).then(
        (verdict) => {
          verdicts.push(verdict);
          res.writeHead(verdict.accepted ? 200 : 401, { 'content-type': 'text/plain' });
          res.end(verdict.accepted ? 'accepted' : verdict.reason);
        },
        (e: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        },
      );
    });
  });
  // A 25 MB body takes a while on a loaded machine; node's default request timeout is fine.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    port,
    verdicts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

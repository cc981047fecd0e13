/** One HTTP header as sent, in order. Names keep the provider's casing. */
export type Header = [name: string, value: string];

export type SchemeName = 'stripe' | 'github' | 'slack' | 'standard-webhooks' | 'shopify' | 'generic-hmac';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';
export type TimestampFormat = 'unix' | 'unix_ms' | 'iso';

/** The `generic-hmac` scheme: covers most providers that have no preset of their own. */
export interface GenericHmacOptions {
  signatureHeader: string;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  /** Put before the encoded digest, e.g. `sha256=`. */
  prefix?: string;
  timestampHeader?: string;
  idHeader?: string;
  timestampFormat?: TimestampFormat;
  /** The signed content built from `{id}`, `{timestamp}`, `{body}`, `{url}`; default `{body}`. */
  template?: string;
}

/** Per-scheme knobs that do not change the signature algorithm itself. */
export interface SchemeOptions {
  generic?: GenericHmacOptions;
  /** Content-Type sent with the body; default application/json. */
  contentType?: string;
  /** Shopify: shop domain and API version headers. */
  shopDomain?: string;
  apiVersion?: string;
  /** GitHub: hook id header. */
  hookId?: string;
}

/** What one delivery signs. */
export interface SignInput {
  /** The exact bytes that go on the wire. */
  body: Uint8Array;
  /** Unix seconds (integer). */
  timestamp: number;
  /** The dedupe id: goes in a header for schemes that carry it there (GitHub, Shopify, Standard Webhooks). */
  id: string;
  eventType: string;
  /** Shopify's X-Shopify-Event-Id (names the event, may be shared by subscriptions); default: id. */
  eventId?: string;
  /** The target URL, for generic templates that sign `{url}`. */
  url?: string;
}

/** A scheme bound to prepared key material (KeyObjects made once per secret). */
export interface Signer {
  readonly scheme: SchemeName;
  /** Ordered headers a real provider sends, signature included. Pure. */
  sign(input: SignInput): Header[];
}

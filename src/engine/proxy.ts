/** Environment variables read for proxies (upper and lower case, lower case winning, like curl). */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

const pick = (env: ProxyEnv, name: string): string | undefined => {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};

export function proxySettingsFrom(env: ProxyEnv): ProxySettings {
  const s: ProxySettings = {};
  const http = pick(env, 'http_proxy');
  const https = pick(env, 'https_proxy');
  const no = pick(env, 'no_proxy');
  if (http) s.httpProxy = http;
  if (https) s.httpsProxy = https;
  if (no) s.noProxy = no;
  return s;
}

/** Loopback never goes through a proxy: the embedded receiver and local targets are always direct. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** NO_PROXY matching as curl and undici do it: `*`, host names with subdomains, optional `:port`. */
export function matchesNoProxy(hostname: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of noProxy.split(/[,\s]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase().replace(/^\*?\./, '.'));
    const entryHost = (m?.[1] ?? '').replace(/^\[|\]$/g, '').replace(/^\./, '');
    const entryPort = m?.[2] ? Number(m[2]) : undefined;
    if (!entryHost || (entryPort !== undefined && entryPort !== port)) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

/** The proxy URL a request to `origin` goes through, or undefined for a direct connection. */
export function proxyFor(origin: URL, settings: ProxySettings): string | undefined {
  const proxy =
    origin.protocol === 'https:' ? (settings.httpsProxy ?? settings.httpProxy) : settings.httpProxy;
  if (!proxy || isLoopbackHost(origin.hostname)) return undefined;
  const port = Number(origin.port) || (origin.protocol === 'https:' ? 443 : 80);
  return matchesNoProxy(origin.hostname, port, settings.noProxy) ? undefined : proxy;
}

export type Env = Readonly<Record<string, string | undefined>>;
export type ValuePath = Array<string | number>;

export interface EnvIssue {
  path: ValuePath;
  /** Index in the string value where the bad `${` starts. */
  offset: number;
  message: string;
  hint?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `provider.secret`, `events[0].body.id`: how messages name a place in the file. */
export function pathLabel(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out || 'the scenario';
}

/**
 * Expands `${VAR}` and `${VAR:-default}` in one parsed string value (never in the raw YAML text, so a
 * value holding `#`, `:` or a newline cannot change the document's structure). `$${` is a literal
 * `${`. `:-` takes the default when the variable is unset or empty, as in the shell.
 */
export function expandString(s: string, env: Env, path: ValuePath): { value: string; issues: EnvIssue[] } {
  if (!s.includes('${')) return { value: s, issues: [] };
  const issues: EnvIssue[] = [];
  let out = '';
  let pos = 0;
  while (pos < s.length) {
    const at = s.indexOf('${', pos);
    if (at < 0) break;
    if (at > 0 && s[at - 1] === '$') {
      out += s.slice(pos, at - 1) + '${';
      pos = at + 2;
      continue;
    }
    out += s.slice(pos, at);
    const close = s.indexOf('}', at + 2);
    if (close < 0) {
      issues.push({
        path,
        offset: at,
        message: "unclosed '${' in a value",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
        hint: 'write ${NAME}, ${NAME:-default}, or $${ for a literal ${',
      });
      out += s.slice(at);
      pos = s.length;
      break;
    }
    const inner = s.slice(at + 2, close);
    const sep = inner.indexOf(':-');
    const name = sep < 0 ? inner : inner.slice(0, sep);
    if (!NAME.test(name)) {
      issues.push({
        path,
        offset: at,
        message: `'\${${inner}}' is not a variable reference`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
        hint: 'write ${NAME} or ${NAME:-default}; names are letters, digits and _',
      });
    } else {
      const value = env[name];
      if (sep >= 0) out += value === undefined || value === '' ? inner.slice(sep + 2) : value;
      else if (value !== undefined) out += value;
      else {
        issues.push({
          path,
          offset: at,
          message: `${name} is not set (used at ${pathLabel(path)})`,
          hint: missingHint(name, path),
        });
      }
    }
    pos = close + 1;
  }
  out += s.slice(pos);
  return { value: out, issues };
}

function missingHint(name: string, path: ValuePath): string {
  const base = `export ${name}=..., or give a default: \${${name}:-value}`;
  return path[0] === 'provider' && path[1] === 'secret'
    ? `${base}; or pass --secret, --secret-env NAME or --secret-file PATH`
    : base;
}

/**
 * Expands every string value of a parsed tree (keys are left alone). `skip` leaves a value as it is,
 * e.g. the secret that --secret replaces.
 */
export function expandTree(
  value: unknown,
  env: Env,
  skip: (path: ValuePath) => boolean = () => false,
): { value: unknown; issues: EnvIssue[] } {
  const issues: EnvIssue[] = [];
  const visit = (v: unknown, path: ValuePath): unknown => {
    if (skip(path)) return v;
    if (typeof v === 'string') {
      const r = expandString(v, env, path);
      issues.push(...r.issues);
      return r.value;
    }
    if (Array.isArray(v)) return v.map((item, i) => visit(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      // defineProperty: a `__proto__` key stays an ordinary key.
      for (const [k, item] of Object.entries(v)) {
        Object.defineProperty(out, k, {
          value: visit(item, [...path, k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return { value: visit(value, []), issues };
}

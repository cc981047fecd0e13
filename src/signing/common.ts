import { UserError } from '../errors.js';
import type { SchemeOptions } from './types.js';

export const DEFAULT_CONTENT_TYPE = 'application/json';

export function contentType(options: SchemeOptions): string {
  return options.contentType ?? DEFAULT_CONTENT_TYPE;
}

/** secrets[0] is the current secret; a scheme cannot sign without one. */
export function requireSecrets(secrets: readonly string[]): readonly string[] {
  if (secrets.length === 0) {
    throw new UserError(
      'no signing secret was given',
      'set provider.secret in the scenario or pass --secret',
    );
  }
  return secrets;
}

import { UserError } from '../errors.js';
import type { ReportFormat } from '../scenario/types.js';

export const FORMATS: readonly ReportFormat[] = ['html', 'json', 'junit', 'md'];

/** `--format html,junit` → the formats, refusing unknown names with the list of known ones. */
export function parseFormatList(value: string, flag = '--format'): ReportFormat[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new UserError(`${flag} is empty`, `name one or more of ${FORMATS.join(', ')}`);
  for (const f of list) {
    if (!FORMATS.includes(f as ReportFormat)) {
      throw new UserError(
        `unknown report format '${f}'`,
        `use a comma-separated list of ${FORMATS.join(', ')}`,
      );
    }
  }
  return [...new Set(list)] as ReportFormat[];
}

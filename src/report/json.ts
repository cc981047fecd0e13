import type { ResultJson } from '../run/result.js';

export function renderJson(result: ResultJson): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

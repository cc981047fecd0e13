import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}

export const REPORT_FILES = {
  json: 'report.json',
  html: 'report.html',
  junit: 'junit.xml',
  md: 'summary.md',
} as const;

export function reportPath(dir: string, format: keyof typeof REPORT_FILES): string {
  return join(dir, REPORT_FILES[format]);
}

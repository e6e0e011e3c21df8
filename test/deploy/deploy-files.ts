import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config.js';

/** A file under deploy/, as shipped. */
export function deployFile(name: string): string {
  return readFileSync(new URL(`../../deploy/${name}`, import.meta.url), 'utf8');
}

/** The drain the bot allows itself on SIGTERM when SHUTDOWN_GRACE_SECONDS is not set. */
export const DEFAULT_GRACE_SECONDS = loadConfig({}).SHUTDOWN_GRACE_SECONDS;

/** "30s", "1m30s", "2min" (Compose and systemd spans) in seconds; a bare number is seconds. */
export function seconds(span: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, min: 60, s: 1, sec: 1, ms: 0.001 };
  const parts = [...span.trim().matchAll(/(\d+(?:\.\d+)?)\s*(h|min|ms|m|sec|s)?/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== span.replace(/\s/g, '')) throw new Error(`not a time span: ${span}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit ?? 's']!, 0);
}

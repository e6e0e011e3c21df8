import { describe, expect, it } from 'vitest';
import { DEFAULT_GRACE_SECONDS, deployFile, seconds } from './deploy-files.js';

// `systemd-analyze verify` (in CI) checks the syntax; this checks what the bot needs of it.
const service = new Map<string, string[]>();
let section = '';
for (const line of deployFile('breachdesk.service').split('\n')) {
  const header = /^\[(\w+)\]$/.exec(line.trim());
  if (header) section = header[1]!;
  const setting = /^(\w+)=(.*)$/.exec(line.trim());
  if (setting && section === 'Service') service.set(setting[1]!, [...(service.get(setting[1]!) ?? []), setting[2]!]);
}
const one = (key: string) => service.get(key)?.at(-1);

describe('deploy/breachdesk.service', () => {
  it('GIVEN a crash THEN systemd restarts it; GIVEN a clean stop THEN it stays stopped', () => {
    expect(one('Restart')).toBe('on-failure');
  });

  it('GIVEN a stop THEN systemd waits longer than the bot drains before SIGKILL', () => {
    expect(one('KillSignal') ?? 'SIGTERM').toBe('SIGTERM');
    expect(seconds(one('TimeoutStopSec') ?? '90s')).toBeGreaterThan(DEFAULT_GRACE_SECONDS);
  });

  it('GIVEN the settings THEN they come from an environment file, not the unit', () => {
    expect(one('EnvironmentFile')).toMatch(/^\/etc\//);
    expect([...service.keys()].filter((k) => k === 'Environment').flatMap((k) => service.get(k)!).join(' ')).not.toMatch(/TOKEN|SECRET|DATABASE_URL/);
  });

  it('GIVEN a start THEN migrations run first and the compiled build runs as its own user', () => {
    expect(one('ExecStartPre')).toMatch(/ bin\/breachdesk\.js migrate$/);
    expect(one('ExecStart')).toMatch(/ bin\/breachdesk\.js start$/);
    // As the Dockerfile and `npm start` run it: a young generation of 2 × 8 MB, WebAssembly on the baseline compiler.
    expect(one('ExecStart')).toMatch(/^\/usr\/bin\/node --max-semi-space-size=8 --liftoff-only /);
    expect(one('User')).toBeDefined();
    expect(one('User')).not.toBe('root');
  });
});

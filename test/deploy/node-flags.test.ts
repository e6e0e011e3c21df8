import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployFile } from './deploy-files.js';

// `npm start`, the image and the systemd unit start Node with the same flags
// (docs/operations.md, "Memory"). `--liftoff-only` is a V8 flag: a Node whose V8 dropped
// it would refuse to start, so each Node CI runs on is asked to accept them.
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const flagsOf = (command: string) => command.split(/\s+/).filter((word) => word.startsWith('--') && !word.startsWith('--env-file'));
const dockerCmd = deployFile('Dockerfile').split('\n').find((l) => l.startsWith('CMD '))!;
const starts: [string, string[]][] = [
  ['npm start', flagsOf(packageJson.scripts.start!)],
  ['npm run start:env', flagsOf(packageJson.scripts['start:env']!)],
  ['the image', (JSON.parse(dockerCmd.slice('CMD '.length)) as string[]).filter((word) => word.startsWith('--'))],
  ['the systemd unit', flagsOf(/^ExecStart=(.*)$/m.exec(deployFile('breachdesk.service'))![1]!)],
];

describe('the flags Node is started with', () => {
  it('GIVEN npm start, start:env, the image and the systemd unit THEN they pass the same flags', () => {
    for (const [start, flags] of starts) expect(flags, start).toEqual(['--max-semi-space-size=8', '--liftoff-only']);
  });

  it('GIVEN this Node THEN it accepts them and runs WebAssembly with them', () => {
    // A module compiled and called: the baseline compiler alone must still run WebAssembly.
    const wasm = 'new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0,1,5,1,96,0,1,127,3,2,1,0,7,5,1,1,102,0,0,10,6,1,4,0,65,42,11]))).exports.f()';
    const answer = execFileSync(process.execPath, [...starts[0]![1], '-e', `process.stdout.write(String(${wasm}))`], { encoding: 'utf8' });
    expect(answer).toBe('42');
  });
});

#!/usr/bin/env node
// Runs the compiled build in dist/ (`npm run build`; `npm install` and `npm start`
// build it). The TypeScript sources run through tsx only in development and tests:
// bin/breachdesk-dev.js.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('breachdesk: not built yet (no dist/); run `npm run build` first.\n');
  process.exit(2);
}
await import(cli.href);

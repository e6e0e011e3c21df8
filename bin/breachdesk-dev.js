#!/usr/bin/env node
// The command line straight from the TypeScript sources, through tsx: what the tests,
// the benchmark and `npm run dev` run, so an edit counts without a build. Operators
// run bin/breachdesk.js, the compiled build.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');

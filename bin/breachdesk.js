#!/usr/bin/env node
// The TypeScript sources run as they are, through tsx: no build step between a
// fresh clone and a working `npx breachdesk`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');

#!/usr/bin/env node
// deploy/Dockerfile without a Docker engine (CI has none): each stage gets a scratch
// folder standing for its WORKDIR's filesystem, COPY copies from the repository (less
// what deploy/Dockerfile.dockerignore leaves out) or from an earlier stage, RUN runs
// in the stage's WORKDIR with the stage's ENV. Then the last stage, which holds only
// what it copied, is started as the image would be: `migrate`, then CMD with its
// HEALTHCHECK polled until healthy, then SIGTERM and a clean exit within the grace
// period. The Node on PATH stands in for the base image's.
//
// Reads the Dockerfile itself, so the steps checked are the ones shipped. It knows the
// instructions that file uses and stops at any other.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const repo = path.resolve(import.meta.dirname, '..');
const dockerfile = path.join(repo, 'deploy/Dockerfile');
const scratch = mkdtempSync(path.join(tmpdir(), 'breachdesk-image-'));

function fail(message) {
  process.stderr.write(`dockerfile dry run: ${message}\n`);
  process.exit(1);
}

/** Instructions, with continuation lines joined and comments dropped. */
function instructions(text) {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  return lines.join('\n').replace(/\\\n/g, ' ').split('\n')
    .map((line) => line.trim()).filter(Boolean)
    .map((line) => {
      const [, keyword, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? fail(`cannot read "${line}"`);
      return { keyword: keyword.toUpperCase(), rest };
    });
}

/** dockerignore patterns of the form `*`, `name` or `!name` (top-level entries). */
function ignoreRules(file) {
  if (!existsSync(file)) return () => true;
  const rules = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const keep = line.startsWith('!');
      const pattern = keep ? line.slice(1) : line;
      if (pattern !== '*' && !/^[\w.-]+$/.test(pattern)) fail(`${path.basename(file)}: pattern "${line}" is beyond this dry run`);
      return { keep, pattern };
    });
  // The last rule matching the path's first segment decides, as in Docker.
  return (relative) => {
    const top = relative.split(path.sep)[0];
    let included = true;
    for (const rule of rules) if (rule.pattern === '*' || rule.pattern === top) included = rule.keep;
    return included;
  };
}

function words(rest) {
  return rest.startsWith('[') ? JSON.parse(rest) : rest.split(/\s+/);
}

const stages = [];
const inStage = (stage, p) => path.join(stage.dir, p.startsWith('/') ? p : path.posix.join(stage.workdir, p));
const included = ignoreRules(`${dockerfile}.dockerignore`);

for (const { keyword, rest } of instructions(readFileSync(dockerfile, 'utf8'))) {
  const stage = stages.at(-1);
  if (keyword !== 'FROM' && !stage) fail(`${keyword} before FROM`);
  switch (keyword) {
    case 'FROM': {
      const [image, as, name] = rest.split(/\s+/);
      const dir = path.join(scratch, `stage-${stages.length}`);
      mkdirSync(dir, { recursive: true });
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : String(stages.length), dir, workdir: '/', env: {}, user: 'root' });
      break;
    }
    case 'WORKDIR':
      stage.workdir = path.posix.resolve(stage.workdir, rest);
      mkdirSync(inStage(stage, stage.workdir), { recursive: true });
      break;
    case 'ENV':
      for (const [, key, value] of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) stage.env[key] = value.replace(/^"|"$/g, '');
      break;
    case 'COPY': {
      const args = words(rest);
      const flags = Object.fromEntries(args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')));
      const [dest, ...sources] = args.filter((a) => !a.startsWith('--')).reverse();
      const from = flags.from === undefined ? null : stages.find((s) => s.name === flags.from) ?? fail(`COPY --from=${flags.from}: no such stage`);
      for (const source of sources.reverse()) {
        if (/[*?[]/.test(source)) fail(`COPY ${source}: wildcards are beyond this dry run`);
        const src = from ? inStage(from, source) : path.join(repo, source);
        if (!from && !included(path.relative(repo, src))) fail(`COPY ${source}: left out by Dockerfile.dockerignore`);
        if (!existsSync(src)) fail(`COPY ${source}: not found`);
        const target = inStage(stage, dest.endsWith('/') && !statSync(src).isDirectory() ? path.posix.join(dest, path.basename(source)) : dest);
        cpSync(src, target, { recursive: true, filter: (f) => from !== null || included(path.relative(repo, f)) || f === repo });
      }
      break;
    }
    case 'RUN': {
      process.stderr.write(`[${stage.name}] RUN ${rest}\n`);
      const argv = rest.startsWith('[') ? JSON.parse(rest) : ['sh', '-c', rest];
      const run = spawnSync(argv[0], argv.slice(1), { cwd: inStage(stage, stage.workdir), env: { PATH: process.env.PATH, HOME: process.env.HOME, ...stage.env }, stdio: 'inherit' });
      if (run.status !== 0) fail(`[${stage.name}] RUN ${rest}: exit ${run.status ?? run.signal}`);
      break;
    }
    case 'USER':
      stage.user = rest;
      break;
    case 'HEALTHCHECK':
      stage.healthcheck = JSON.parse(/\bCMD\s+(\[.*\])$/.exec(rest)?.[1] ?? fail('HEALTHCHECK must be CMD ["…"]'));
      break;
    case 'CMD':
      stage.cmd = JSON.parse(rest);
      break;
    case 'EXPOSE':
    case 'VOLUME':
    case 'LABEL':
    case 'STOPSIGNAL':
      break;
    default:
      fail(`${keyword} is beyond this dry run`);
  }
}

const image = stages.at(-1);
if (!image?.cmd || !image.healthcheck) fail('the last stage needs CMD and HEALTHCHECK');
if (image.user === 'root' || image.user === '0') fail('the last stage must run as a user other than root');
if (image.cmd.at(-1) !== 'start') fail('CMD must end in `start`');
if (existsSync(inStage(image, 'src'))) fail('the image holds src/: it should run the compiled build only');

const free = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const port = String(await free());
const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...image.env, DATABASE_URL: 'pglite:memory', PORT: port };
const cwd = inStage(image, image.workdir);

const migrate = spawnSync(image.cmd[0], [...image.cmd.slice(1, -1), 'migrate'], { cwd, env, encoding: 'utf8' });
if (migrate.status !== 0 || !/^Applied /.test(migrate.stdout)) fail(`migrate: exit ${migrate.status}\n${migrate.stdout}${migrate.stderr}`);
process.stderr.write(`[image] migrate: ${migrate.stdout.split(' to ')[0].slice(0, 80)}…\n`);

// No chat credentials: the terminal shell, which serves /healthz because PORT is set.
// Its standard input stays open, as under `docker run -i`.
const bot = spawn(image.cmd[0], image.cmd.slice(1), { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
let output = '';
bot.stdout.on('data', (d) => (output += d));
bot.stderr.on('data', (d) => (output += d));
const exited = new Promise((resolve) => bot.on('close', (code, signal) => resolve(code ?? signal)));

let healthy = false;
for (const deadline = Date.now() + 90_000; Date.now() < deadline && bot.exitCode === null;) {
  const check = spawnSync(image.healthcheck[0], image.healthcheck.slice(1), { cwd, env, timeout: 5_000 });
  if (check.status === 0) {
    healthy = true;
    break;
  }
  await sleep(1_000);
}
if (!healthy) {
  bot.kill('SIGKILL');
  fail(`HEALTHCHECK never passed on port ${port}:\n${output}`);
}
process.stderr.write(`[image] HEALTHCHECK passed on port ${port}\n`);

const grace = Number(image.env.SHUTDOWN_GRACE_SECONDS ?? 10);
bot.kill('SIGTERM');
const code = await Promise.race([exited, sleep((grace + 5) * 1_000, 'still running')]);
if (code !== 0) {
  bot.kill('SIGKILL');
  fail(`after SIGTERM: ${code} (expected exit 0 within ${grace} s)\n${output}`);
}
rmSync(scratch, { recursive: true, force: true });
process.stderr.write('[image] SIGTERM: drained and exited 0\n');

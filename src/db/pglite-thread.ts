import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage, NotificationResponseMessage } from 'pg-protocol/dist/messages.js';
import { DatabaseUnavailableError } from '../errors.js';
import type { PgliteAnswer, PgliteAsk } from './pglite-worker.js';

/**
 * Embedded PGlite on a worker thread, seen by pg (through PGlite's node-postgres
 * adapter) as the PGlite it expects: `execProtocolStream` and `waitReady`. PGlite runs
 * PostgreSQL as WebAssembly on the thread that calls it; in the bot's thread a busy
 * channel's queries held back Slack's acknowledgements (ack p99 1.6–2.6 s under the
 * bench's load, against Slack's 3 s limit). Here the bytes go to the database's own
 * thread and the answer is parsed back with pg's own protocol parser, exactly as from
 * a socket; notifications in an answer reach `onNotification` (LISTEN is per backend,
 * and there is one).
 */
export interface PgliteThread {
  readonly waitReady: Promise<void>;
  execProtocolStream(bytes: Uint8Array, options?: { throwOnError?: boolean }): Promise<BackendMessage[]>;
  onNotification(listener: (channel: string) => void): () => void;
  close(): Promise<void>;
}

/** Parse, Bind, Describe, Execute, Close: messages whose answer waits for the Sync (or Flush) after them. */
const UNTIL_SYNC = new Set([0x50, 0x42, 0x44, 0x45, 0x43]);

function concat(parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    whole.set(p, at);
    at += p.byteLength;
  }
  return whole;
}

export function startPgliteThread(dir: string | null): PgliteThread {
  // Like an idle socket it does not keep the process alive once open; starting, and a request on its way, do.
  const worker = workerThread(dir);
  const pending = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  const listeners = new Set<(channel: string) => void>();
  const parser = new Parser();
  let held: Uint8Array[] = [];
  let nextId = 1;
  let gone: Error | null = null;
  let markReady: () => void = () => undefined;
  let markFailed: (error: Error) => void = () => undefined;
  const waitReady = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  waitReady.catch(() => undefined);

  const fail = (error: Error) => {
    gone ??= error;
    markFailed(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (answer: PgliteAnswer) => {
    if ('ready' in answer) {
      if (pending.size === 0) worker.unref();
      return markReady();
    }
    if ('failed' in answer) return fail(new DatabaseUnavailableError(`cannot open embedded PGlite${dir ? ` in ${dir}` : ''}: ${answer.failed}`));
    const waiting = pending.get(answer.id);
    pending.delete(answer.id);
    if (answer.error !== undefined) waiting?.reject(new Error(answer.error));
    else waiting?.resolve(answer.bytes ?? new Uint8Array(0));
  });
  worker.on('error', (error) => fail(new DatabaseUnavailableError(`embedded PGlite stopped: ${error.message}`, { cause: error })));
  worker.on('exit', () => fail(new DatabaseUnavailableError('embedded PGlite is closed')));

  const ask = (request: PgliteAsk, transfer: ArrayBuffer[] = []): Promise<Uint8Array> => {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...request, id }, transfer);
    }).finally(() => {
      if (pending.size === 0) worker.unref();
    });
  };

  return {
    waitReady,
    async execProtocolStream(bytes) {
      // pg sends a statement as five messages (parse, bind, describe, execute, sync), each
      // a call here: they go to the thread together, as over a socket, not in five round trips.
      if (UNTIL_SYNC.has(bytes[0]!)) {
        held.push(new Uint8Array(bytes));
        return [];
      }
      // A copy of just these bytes (pg's may be a slice of a shared pool), handed over, not cloned.
      const own = concat([...held, bytes]);
      held = [];
      const answer = await ask({ kind: 'exec', bytes: own }, [own.buffer as ArrayBuffer]);
      const messages: BackendMessage[] = [];
      parser.parse(Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength), (message) => {
        messages.push(message);
        if (message.name === 'notification') for (const listener of listeners) listener((message as NotificationResponseMessage).channel);
      });
      return messages;
    },
    onNotification(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (!gone) await ask({ kind: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}

/**
 * Compiled, the worker is the .js beside this file. From sources (tsx, vitest) it is a
 * .ts: a worker does not inherit the parent's loader, and Node 20 ignores `--import tsx`
 * given to a worker, so a two-line starter registers tsx's loader first.
 */
function workerThread(dir: string | null): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: { dir } });
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  const starter = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(starter, { eval: true, workerData: { dir } });
}

/** tsx's ESM API (a development dependency), as its package.json names it for `import`. */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api']!.import.default)).href;
}

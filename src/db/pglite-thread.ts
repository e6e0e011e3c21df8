import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage, NotificationResponseMessage } from 'pg-protocol/dist/messages.js';
import { DatabaseUnavailableError } from '../errors.js';
import type { PgliteAnswer, PgliteAsk, PgliteThreadOptions } from './pglite-worker.js';
import { concatBytes } from './wire-bytes.js';

/**
 * Embedded PGlite on a worker thread, seen by each pg client (through PGlite's
 * node-postgres adapter) as the PGlite it expects: a session with `execProtocolStream`
 * and `waitReady`. PGlite runs
 * PostgreSQL as WebAssembly on the thread that calls it; in the bot's thread a busy
 * channel's queries held back Slack's acknowledgements (ack p99 1.6–2.6 s under the
 * bench's load, against Slack's 3 s limit). Here the bytes go to the database's own
 * thread and the answer is parsed back with pg's own protocol parser, exactly as from
 * a socket; notifications in an answer reach `onNotification` (LISTEN is per backend,
 * and there is one).
 */
export interface PgliteThread {
  readonly waitReady: Promise<void>;
  /** A session of the one backend, for one pg client (see {@link PgliteSession}). */
  session(): PgliteSession;
  onNotification(listener: (channel: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * What one pg client sees of the one backend, as PGlite's node-postgres adapter asks
 * for it. Several sessions' statements go to the database's thread without waiting for
 * each other's answers, so it always has the next one to run while this thread, busy
 * or short of a core, takes the last answer (a fifth of its time idle under the bench's
 * load with one client). A transaction is one session's alone: from the statement that
 * may open one until the backend says it is idle again, the others' wait here.
 */
export interface PgliteSession {
  readonly waitReady: Promise<void>;
  execProtocolStream(bytes: Uint8Array, options?: { throwOnError?: boolean }): Promise<BackendMessage[]>;
}

/** Parse, Bind, Describe, Execute, Close: messages whose answer waits for the Sync (or Flush) after them. */
const UNTIL_SYNC = new Set([0x50, 0x42, 0x44, 0x45, 0x43]);
const PARSE = 0x50;
const READY_FOR_QUERY = 0x5a;
const IDLE = 0x49;
/** A statement that runs alone in its implicit transaction, whatever else runs beside it. */
const SELF_CONTAINED = /^\s*(select|insert|update|delete|with|values)\b/i;

/**
 * Whether a request is one statement in its own implicit transaction (extended protocol,
 * a select or a change), which may run between any others'. Anything else (a simple
 * query: `begin`, `analyze`, several statements) may open a transaction or change the
 * session: it runs alone, until the backend is idle again.
 */
function selfContained(bytes: Uint8Array): boolean {
  if (bytes[0] !== PARSE) return false;
  // Parse: type, length (4), the statement's name and its text, each ending in a zero.
  const nameEnd = bytes.indexOf(0, 5);
  const textEnd = bytes.indexOf(0, nameEnd + 1);
  if (nameEnd < 0 || textEnd < 0) return false;
  return SELF_CONTAINED.test(Buffer.from(bytes.buffer, bytes.byteOffset + nameEnd + 1, Math.min(textEnd - nameEnd - 1, 64)).toString('utf8'));
}

/** The transaction status of the ReadyForQuery an answer ends with ('I' idle, 'T' in one, 'E' failed), or null. */
function readyStatus(answer: Uint8Array): number | null {
  const at = answer.byteLength - 6;
  return at >= 0 && answer[at] === READY_FOR_QUERY ? answer[at + 5]! : null;
}

export function startPgliteThread(options: PgliteThreadOptions): PgliteThread {
  // Like an idle socket it does not keep the process alive once open; starting, and a request on its way, do.
  const worker = workerThread(options);
  const pending = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  const listeners = new Set<(channel: string) => void>();
  const parser = new Parser();
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
    if ('failed' in answer) return fail(new DatabaseUnavailableError(`cannot open embedded PGlite${options.dir ? ` in ${options.dir}` : ''}: ${answer.failed}`));
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

  // The session whose transaction the backend is in (or may be about to be in), and the
  // statements of the others, waiting for it to end, in the order they came.
  let owner: object | null = null;
  const waiting: { session: object; alone: boolean; go: () => void }[] = [];
  const letWaitingGo = () => {
    while (waiting.length > 0 && (owner === null || owner === waiting[0]!.session)) {
      const next = waiting.shift()!;
      if (next.alone) owner = next.session;
      next.go();
    }
  };

  const exec = async (session: object, own: Uint8Array): Promise<BackendMessage[]> => {
    const alone = !selfContained(own);
    if (owner !== null && owner !== session) await new Promise<void>((go) => waiting.push({ session, alone, go }));
    else if (alone) owner = session;
    let answer: Uint8Array;
    try {
      answer = await ask({ kind: 'exec', bytes: own }, [own.buffer as ArrayBuffer]);
    } catch (error) {
      if (owner === session) owner = null;
      letWaitingGo();
      throw error;
    }
    // The backend says after each statement whether a transaction is open: until it is
    // idle again, this session's statements alone go.
    const status = readyStatus(answer);
    if (status !== null) owner = status === IDLE ? (owner === session ? null : owner) : session;
    letWaitingGo();
    const messages: BackendMessage[] = [];
    parser.parse(Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength), (message) => {
      messages.push(message);
      if (message.name === 'notification') for (const listener of listeners) listener((message as NotificationResponseMessage).channel);
    });
    return messages;
  };

  return {
    waitReady,
    session() {
      const session = {};
      let held: Uint8Array[] = [];
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
          const own = concatBytes(...held, bytes);
          held = [];
          return exec(session, own);
        },
      };
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
function workerThread(workerData: PgliteThreadOptions): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData });
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  const starter = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(starter, { eval: true, workerData });
}

/** tsx's ESM API (a development dependency), as its package.json names it for `import`. */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api']!.import.default)).href;
}

// The embedded database on a thread of its own (see pglite-thread.ts). It answers
// PostgreSQL wire-protocol bytes with wire-protocol bytes, one request at a time, so
// the bot's own thread stays free to acknowledge Slack and Discord while a query runs.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { AS_SENT, preparedStatements } from './pglite-prepared.js';

export type PgliteAsk = { kind: 'exec'; bytes: Uint8Array } | { kind: 'close' };
export type PgliteRequest = PgliteAsk & { id: number };
export type PgliteAnswer = { id: number; bytes?: Uint8Array; error?: string } | { ready: true } | { failed: string };
/** Where the database lives (null: in memory), and whether this thread names statements (pglite-prepared.ts). */
export interface PgliteThreadOptions { dir: string | null; preparedStatements: boolean }

const SHARED_BUFFERS = '32MB';
const port = parentPort!;
const { dir, preparedStatements: naming } = workerData as PgliteThreadOptions;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  const pglite = await PGlite.create({
    ...(dir ? { dataDir: dir } : {}),
    extensions: { pg_trgm },
    // PostgreSQL's 128 MB buffer pool lives in the WebAssembly heap, in the bot's process:
    // 32 MB leaves the rest to the operating system's file cache, which PGlite reads through.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  // One backend: requests run strictly in arrival order, never interleaved.
  let turn = Promise.resolve();
  const prepared = naming ? preparedStatements() : AS_SENT;
  port.on('message', (request: PgliteRequest) => {
    turn = turn.then(async () => {
      if (request.kind === 'close') {
        await pglite.close().catch(() => undefined);
        port.postMessage({ id: request.id } satisfies PgliteAnswer);
        port.close();
        return;
      }
      try {
        const bytes = prepared.answered(await pglite.execProtocolRaw(prepared.request(request.bytes)));
        port.postMessage({ id: request.id, bytes } satisfies PgliteAnswer, [bytes.buffer as ArrayBuffer]);
      } catch (error) {
        port.postMessage({ id: request.id, error: messageOf(error) } satisfies PgliteAnswer);
      }
    });
  });
  port.postMessage({ ready: true } satisfies PgliteAnswer);
} catch (error) {
  port.postMessage({ failed: messageOf(error) } satisfies PgliteAnswer);
}

import { concatBytes } from './wire-bytes.js';

/**
 * Embedded PGlite's one backend keeps the statements it has parsed. pg sends a statement
 * with parameters unnamed (Parse, Bind, Describe, Execute, Sync), so the backend parses,
 * analyzes and plans it anew each time: on PGlite 100k that was half a lookup's time in
 * the database (planning 3.0 ms, running 3.4 ms). Here, on the database's thread, where
 * every session's requests pass in the order they run, a statement's first request is
 * sent as a named one and the later ones bind that name: parsed once, and planned once
 * where PostgreSQL finds its generic plan as good as a fresh one (as named statements on
 * a server, named-statements.ts). The answer gets the ParseComplete its Parse would
 * have had, so each pg client reads exactly what it asked for.
 *
 * Only the exact shape pg sends is touched; anything else passes as it came. A statement
 * counts as prepared once the backend has said ParseComplete for it; a failed Parse
 * prepares nothing. At most MAX_PREPARED texts (lists of different lengths are different
 * texts; the bench's lookups are seven texts in all), fewer than a server's connection
 * keeps: their plans live in the WebAssembly heap, in the bot's process, which never
 * shrinks. After that the rest go unnamed. When the backend no longer knows a name or its
 * plan no longer fits the table (a migration changed it), that statement fails once, as
 * on a server, and every name is forgotten so that the next ones are parsed afresh.
 */
export const MAX_PREPARED = 200;

const PARSE = 0x50;
const BIND = 0x42;
const PARSE_COMPLETE = 0x31;
const ERROR_RESPONSE = 0x45;
const PARSE_COMPLETE_MESSAGE = Uint8Array.of(PARSE_COMPLETE, 0, 0, 0, 4);
/** SQLSTATE of a name the backend does not know, and of a plan whose result type changed. */
const FORGET_ALL = new Set(['26000', '0A000']);

export interface PreparedStatements {
  /** The request to run: as it came, or with its statement named (see {@link answered}). */
  request(bytes: Uint8Array): Uint8Array;
  /** The answer to give for the request last returned by `request`, which it must follow. */
  answered(answer: Uint8Array): Uint8Array;
}

/** Every statement as pg sent it, unnamed (DATABASE_PREPARED_STATEMENTS=false). */
export const AS_SENT: PreparedStatements = { request: (bytes) => bytes, answered: (answer) => answer };

export function preparedStatements(): PreparedStatements {
  const names = new Map<string, string>();
  let made = 0;
  // What the last request did: bound a name prepared before, prepared `text` as `name`, or neither.
  let last: 'bound' | { text: string; name: string } | null = null;
  return {
    request(bytes) {
      last = null;
      const statement = unnamedStatement(bytes);
      if (!statement) return bytes;
      const known = names.get(statement.text);
      if (known !== undefined) {
        last = 'bound';
        return concatBytes(named(bytes.subarray(statement.bindAt, statement.bindEnd), statement.bindNameAt, known), bytes.subarray(statement.bindEnd));
      }
      if (names.size >= MAX_PREPARED) return bytes;
      const name = `bd_pglite_${++made}`;
      last = { text: statement.text, name };
      return concatBytes(
        named(bytes.subarray(0, statement.bindAt), 5, name),
        named(bytes.subarray(statement.bindAt, statement.bindEnd), statement.bindNameAt, name),
        bytes.subarray(statement.bindEnd),
      );
    },
    answered(answer) {
      const done = last;
      last = null;
      if (!done) return answer;
      if (answer[0] === ERROR_RESPONSE && FORGET_ALL.has(sqlState(answer))) names.clear();
      else if (done !== 'bound' && answer[0] === PARSE_COMPLETE) names.set(done.text, done.name);
      return done === 'bound' ? concatBytes(PARSE_COMPLETE_MESSAGE, answer) : answer;
    },
  };
}

/**
 * An unnamed Parse followed by a Bind of that unnamed statement, as pg sends a statement
 * with parameters: its text (with its parameter types) as the key, where the Bind is, and
 * where in the Bind its statement's name is; null for anything else.
 */
function unnamedStatement(bytes: Uint8Array): { text: string; bindAt: number; bindEnd: number; bindNameAt: number } | null {
  if (bytes.byteLength < 5 || bytes[0] !== PARSE || bytes[5] !== 0) return null;
  const bindAt = 1 + readLength(bytes, 1);
  if (bytes.byteLength < bindAt + 5 || bytes[bindAt] !== BIND) return null;
  const bindEnd = bindAt + 1 + readLength(bytes, bindAt + 1);
  // Bind: the portal's name, then the statement's: both must be the unnamed one ("").
  const portalEnd = bytes.indexOf(0, bindAt + 5);
  if (portalEnd < 0 || portalEnd >= bindEnd || bytes[portalEnd + 1] !== 0) return null;
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset + 6, bindAt - 6).toString('latin1'), bindAt, bindEnd, bindNameAt: portalEnd + 1 - bindAt };
}

/** A message with the empty name at `at` (its zero) replaced by `name`, its length set again. */
function named(message: Uint8Array, at: number, name: string): Uint8Array {
  const nameBytes = Buffer.from(name, 'latin1');
  const out = concatBytes(message.subarray(0, at), nameBytes, message.subarray(at));
  new DataView(out.buffer, out.byteOffset).setInt32(1, out.byteLength - 1);
  return out;
}

function readLength(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getInt32(at);
}

/** The SQLSTATE of an ErrorResponse at the start of `answer` (its 'C' field). */
function sqlState(answer: Uint8Array): string {
  const end = 1 + readLength(answer, 1);
  for (let at = 5; at < end && answer[at] !== 0;) {
    const fieldEnd = answer.indexOf(0, at + 1);
    if (answer[at] === 0x43) return Buffer.from(answer.subarray(at + 1, fieldEnd)).toString('latin1');
    at = fieldEnd + 1;
  }
  return '';
}

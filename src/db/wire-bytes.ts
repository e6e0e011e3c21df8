/**
 * Wire-protocol messages joined into one request or answer, in an ArrayBuffer of their
 * own: it is handed to or from the database's thread, so it must not be a slice of
 * Node's shared pool, as a small Buffer.concat is.
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    whole.set(p, at);
    at += p.byteLength;
  }
  return whole;
}

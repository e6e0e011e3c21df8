// A value sent to the server as one jsonb parameter (many rows in one statement).
//
// Sent as text, a string holding half a surrogate pair (a name's initials can cut a
// character outside the BMP in half: "𐊵…") reached the server as U+FFFD; JSON would
// carry it as an escape the server refuses ("invalid input syntax for type json"). So
// it is sent as U+FFFD here too: what is stored is the same either way.
export const jsonParam = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/\p{Cs}/gu, '\uFFFD') : v));

import { mustBePublic } from './public-address.js';

// One conditional GET of a feed: the validators of the last answer go with it, so an
// unchanged source answers 304 with no body. Bounded in time and size; any other
// answer than 200 or 304 is a FeedFetchError saying whether to try again sooner.

export const FETCH_TIMEOUT_MS = 30_000;
/** HIBP's whole list is about 1 MB, the HHS portal's CSV a few; a body past this is not a feed. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;
const MAX_REDIRECTS = 5;

export type FetchedFeed =
  | { changed: false }
  | { changed: true; body: string; etag: string | null; lastModified: string | null };

export class FeedFetchError extends Error {
  /** Seconds the server asked us to wait (429 or 503 with Retry-After). */
  readonly retryAfterSeconds: number | null;
  constructor(message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface FetchOptions {
  /** FEEDS_ALLOW_PRIVATE: private and loopback addresses may be fetched from. */
  allowPrivate?: boolean;
  timeoutMs?: number;
}

export async function fetchFeed(url: string, validators: { etag: string | null; lastModified: string | null }, options: FetchOptions = {}): Promise<FetchedFeed> {
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const headers: Record<string, string> = { 'user-agent': 'breachdesk (incident ledger; feed poller)', accept: 'application/json, text/csv;q=0.9, */*;q=0.5' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  let address = new URL(url);
  let response: Response | null = null;
  try {
    // Redirects followed by hand, each address checked as the first was.
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      if (!options.allowPrivate) await mustBePublic(address).catch((error: Error) => {
        throw new FeedFetchError(error.message);
      });
      response = await fetch(address, { headers, signal, redirect: 'manual' });
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || !location) break;
      await response.body?.cancel().catch(() => undefined);
      address = new URL(location, address);
      if (!['http:', 'https:'].includes(address.protocol)) throw new FeedFetchError(`redirected to ${address.protocol} (only http and https)`);
      if (hop === MAX_REDIRECTS) throw new FeedFetchError(`more than ${MAX_REDIRECTS} redirects`);
    }
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    throw connectionError(error, address, timeoutMs);
  }
  if (!response) throw new FeedFetchError('no answer');
  if (response.status === 304) return { changed: false };
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new FeedFetchError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw new FeedFetchError(`the answer is ${declared} bytes, over the ${MAX_BODY_BYTES} a feed may be`);
  }
  const body = await readCapped(response, address, timeoutMs);
  if (Number.isFinite(declared) && declared > 0 && Buffer.byteLength(body) < declared) throw new FeedFetchError('the answer was cut off before its end');
  return { changed: true, body, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
}

/** The body as text, refused once past MAX_BODY_BYTES whatever the server declared. */
async function readCapped(response: Response, address: URL, timeoutMs: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        await response.body?.cancel().catch(() => undefined);
        throw new FeedFetchError(`the answer is over the ${MAX_BODY_BYTES} bytes a feed may be`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    throw connectionError(error, address, timeoutMs);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function connectionError(error: unknown, address: URL, timeoutMs: number): FeedFetchError {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  if ((error as Error).name === 'TimeoutError') return new FeedFetchError(`no answer within ${Math.round(timeoutMs / 1000)} s`);
  // The server closed the connection in the middle of its answer.
  if (cause === 'UND_ERR_SOCKET' || cause === 'ECONNRESET' || (error as Error).message === 'terminated') return new FeedFetchError('the answer was cut off before its end');
  return new FeedFetchError(`cannot reach ${address.host}${cause ? ` (${cause})` : ''}`);
}

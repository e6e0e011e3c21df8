// One conditional GET of a feed: the validators of the last answer go with it, so an
// unchanged source answers 304 with no body. Bounded in time and size; any other
// answer than 200 or 304 is a FeedFetchError saying whether to try again sooner.

export const FETCH_TIMEOUT_MS = 30_000;
/** HIBP's whole list is about 1 MB, the HHS portal's CSV a few; a body past this is not a feed. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

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

export async function fetchFeed(url: string, validators: { etag: string | null; lastModified: string | null }, timeoutMs = FETCH_TIMEOUT_MS): Promise<FetchedFeed> {
  const headers: Record<string, string> = { 'user-agent': 'breachdesk (incident ledger; feed poller)', accept: 'application/json, text/csv;q=0.9, */*;q=0.5' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if ((error as Error).name === 'TimeoutError') throw new FeedFetchError(`no answer within ${Math.round(timeoutMs / 1000)} s`);
    // The server closed the connection in the middle of its answer.
    if (cause === 'UND_ERR_SOCKET') throw new FeedFetchError('the answer was cut off before its end');
    throw new FeedFetchError(`cannot reach ${new URL(url).host}${cause ? ` (${cause})` : ''}`);
  }
  if (response.status === 304) return { changed: false };
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new FeedFetchError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) throw new FeedFetchError(`the body is ${declared} bytes, over the ${MAX_BODY_BYTES} a feed may be`);
  let body: string;
  try {
    body = await response.text();
  } catch {
    // The connection ended before the body did.
    throw new FeedFetchError('the answer was cut off before its end');
  }
  if (Number.isFinite(declared) && declared > 0 && Buffer.byteLength(body) < declared) throw new FeedFetchError('the answer was cut off before its end');
  return { changed: true, body, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
}

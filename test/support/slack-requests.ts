import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface SignedOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  secret?: string;
}

/** POSTs a body to Bolt's /slack/events as Slack does: signed with the signing secret. */
export async function postToSlackEndpoint(base: string, body: string, contentType: string, options: SignedOptions = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** A slash command as Slack sends it (application/x-www-form-urlencoded). */
export function slashCommand(base: string, text: string, fields: { responseUrl: string; channel?: string; user?: string; triggerId?: string }, options?: SignedOptions) {
  const body = new URLSearchParams({
    token: 'legacy-verification-token', team_id: 'T1', team_domain: 'breachdesk-test', channel_id: fields.channel ?? 'C-SOC', channel_name: 'soc',
    user_id: fields.user ?? 'U-ANALYST', user_name: 'analyst', command: '/incident', text, api_app_id: 'A1',
    response_url: fields.responseUrl, trigger_id: fields.triggerId ?? '1337.42.abcdef',
  }).toString();
  return postToSlackEndpoint(base, body, 'application/x-www-form-urlencoded', options);
}

/** An interactive payload (block_actions, block_suggestion, view_submission): one form field `payload`. */
export function interaction(base: string, payload: Record<string, unknown>, options?: SignedOptions) {
  return postToSlackEndpoint(base, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
}

/** Waits until a condition over recorded calls holds, or fails with what was recorded. */
export async function eventually<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

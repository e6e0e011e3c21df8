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

/** POSTs a body to /slack/events with exactly these headers: forged, unsigned or malformed requests. */
export async function postRaw(base: string, body: string | Buffer, headers: Record<string, string>) {
  const response = await fetch(`${base}/slack/events`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

/** Headers that sign `body` as Slack does, for a test that sends the body itself (or sends it again). */
export function signedHeaders(body: string, contentType = 'application/x-www-form-urlencoded', options: SignedOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** The report modal's submitted state, as Slack sends it: field id → value. */
export function reportModalState(fields: Partial<Record<string, unknown>>) {
  const values: Record<string, Record<string, unknown>> = {};
  const put = (id: string, value: Record<string, unknown>) => (values[id] = { [id]: value });
  put('victim', { type: 'external_select', selected_option: fields.victim === undefined ? null : { value: fields.victim } });
  for (const id of ['country', 'region', 'city', 'title', 'summary', 'description', 'vendor', 'threatActors', 'recordsAffected', 'sources']) {
    put(id, { type: 'plain_text_input', value: fields[id] ?? null });
  }
  for (const id of ['startDate', 'endDate', 'discoveredDate', 'disclosedDate']) put(id, { type: 'datepicker', selected_date: fields[id] ?? null });
  put('datePrecision', { type: 'static_select', selected_option: { value: fields.datePrecision ?? 'day' } });
  put('impact', { type: 'checkboxes', selected_options: ((fields.impact as string[] | undefined) ?? []).map((value) => ({ value })) });
  put('motives', { type: 'multi_static_select', selected_options: ((fields.motives as string[] | undefined) ?? []).map((value) => ({ value })) });
  put('techniques', { type: 'multi_external_select', selected_options: ((fields.techniques as string[] | undefined) ?? []).map((value) => ({ value })) });
  if (fields.victimChoice) put('victimChoice', { type: 'radio_buttons', selected_option: { value: fields.victimChoice } });
  return { values };
}

/** A view_submission of the report modal. */
export function reportSubmission(viewId: string, state: unknown, privateMetadata = JSON.stringify({ c: 'C-SOC' })) {
  return {
    type: 'view_submission', team: { id: 'T1', domain: 'breachdesk-test' }, user: { id: 'U-ANALYST', username: 'analyst', name: 'analyst', team_id: 'T1' },
    api_app_id: 'A1', token: 'x', trigger_id: '1.2.3',
    view: { id: viewId, team_id: 'T1', type: 'modal', callback_id: 'report', private_metadata: privateMetadata, state, hash: 'h', blocks: [], title: { type: 'plain_text', text: 'Report an incident' } },
    response_urls: [],
  };
}

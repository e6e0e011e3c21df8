import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../support/net.js';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/** One Web API call as Slack would have received it. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/** A scripted answer: an HTTP 500, a 429 with Retry-After (seconds), or a platform error. */
export interface ScriptedAnswer {
  status?: 500 | 429;
  retryAfter?: number;
  error?: string;
}

/** One message sent to a response_url. */
export interface SlackResponse {
  id: string;
  body: Record<string, unknown>;
}

/**
 * A fake Slack Web API on loopback: answers what the real @slack/web-api client
 * calls (auth.test, views.*, chat.*, the files upload) and records every call and every response_url
 * post, so tests assert what Slack would have shown.
 */
export class FakeSlack {
  /** User groups (S…) and their members, for usergroups.users.list. */
  readonly userGroups = new Map<string, string[]>();
  readonly calls: SlackCall[] = [];
  readonly responses: SlackResponse[] = [];
  /** Channels where posting fails as Slack does when the bot is not a member. */
  readonly notInChannel = new Set<string>();
  /** Answers to give the next calls of a method before answering normally: a 500, a 429 with Retry-After. */
  private readonly scripted = new Map<string, ScriptedAnswer[]>();
  /** Methods whose calls are recorded (the message is "posted") and then never answered, as when the bot dies mid-request. */
  readonly stalled = new Set<string>();
  /**
   * Methods answered only after this many milliseconds, as behind a slow proxy or a
   * congested Slack: a message posted so reaches the channel (and its history) when
   * the answer goes out, not before.
   */
  readonly slow = new Map<string, number>();
  /** Files uploaded to the URLs files.getUploadURLExternal gave out, by file id: the bytes Slack received. */
  readonly uploads = new Map<string, Buffer>();
  /** Uploads finished with files.completeUploadExternal. */
  readonly completed = new Set<string>();
  private files = 0;
  private readonly posted = new Map<string, Record<string, unknown>[]>();
  private readonly waiting = new Map<string, () => void>();

  /** Resolves when something is posted to this response_url id (for latency measurements). */
  nextResponse(id: string): Promise<void> {
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }
  private server: Server | undefined;
  private sockets: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private views = 0;
  private messages = 0;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        if (status === 0) return; // stalled: never answered
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    // Socket Mode: apps.connections.open hands out this WebSocket; envelopes go down it.
    this.sockets = new WebSocketServer({ server: this.server, path: '/socket' });
    this.sockets.on('connection', (socket) => {
      this.socket = socket;
      socket.on('message', (data: Buffer) => {
        const { envelope_id, payload } = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown };
        if (envelope_id) this.acks.get(envelope_id)?.(payload);
      });
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'fake' } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** What to pass as slackApiUrl. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/respond/${id}`;
  }

  /** The next calls of `method` get these answers, in order. */
  script(method: string, answers: ScriptedAnswer[]): void {
    this.scripted.set(method, [...answers]);
  }

  /** Messages that reached a channel (posted successfully or stalled mid-answer). */
  messagesIn(channel: string): Record<string, unknown>[] {
    return this.posted.get(channel) ?? [];
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Whether a Socket Mode client is connected. */
  get socketConnected(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Sends a Socket Mode envelope and resolves with the app's acknowledgement payload. */
  envelope(type: string, payload: Record<string, unknown>): Promise<unknown> {
    const id = `env-${this.calls.length}-${Math.random().toString(36).slice(2)}`;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.socket!.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: true, retry_attempt: 0, retry_reason: '' }));
    });
  }

  async close(): Promise<void> {
    for (const client of this.sockets?.clients ?? []) client.terminate();
    this.sockets?.close();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const url = new URL(req.url ?? '/', this.base);
    // The upload URL files.getUploadURLExternal hands out: the file's bytes, as they are.
    const upload = /^\/upload\/(F\w+)$/.exec(url.pathname);
    if (upload) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.uploads.set(upload[1]!, Buffer.concat(chunks));
      return { status: 200, body: { ok: true } };
    }
    const raw = await readBody(req);
    const respond = /^\/respond\/(.+)$/.exec(url.pathname);
    if (respond) {
      this.responses.push({ id: respond[1]!, body: JSON.parse(raw) as Record<string, unknown> });
      this.waiting.get(respond[1]!)?.();
      this.waiting.delete(respond[1]!);
      return { status: 200, body: { ok: true } };
    }
    const method = /^\/api\/(.+)$/.exec(url.pathname)?.[1];
    if (!method) return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    this.calls.push({ method, args });
    const delay = this.slow.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const scripted = this.scripted.get(method)?.shift();
    if (scripted?.status === 500) return { status: 500, body: { ok: false, error: 'internal_error' } };
    if (scripted?.status === 429) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(scripted.retryAfter ?? 1) } };
    switch (method) {
      case 'usergroups.users.list':
        return { status: 200, body: this.userGroups.has(String(args.usergroup)) ? { ok: true, users: this.userGroups.get(String(args.usergroup)) } : { ok: false, error: 'no_such_subteam' } };
      case 'apps.connections.open':
        return { status: 200, body: { ok: true, url: `${this.base.replace('http', 'ws')}/socket` } };
      case 'auth.test':
        return { status: 200, body: { ok: true, url: 'https://breachdesk-test.slack.com/', team: 'Test', team_id: 'T1', user: 'breachdesk', user_id: 'UBOT', bot_id: 'BBOT' } };
      case 'views.open':
      case 'views.update':
      case 'views.push':
        return { status: 200, body: { ok: true, view: { id: `V${++this.views}`, ...(args.view as object) } } };
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        const channel = String(args.channel);
        if (this.notInChannel.has(channel)) return { status: 200, body: { ok: false, error: 'not_in_channel' } };
        if (scripted?.error) return { status: 200, body: { ok: false, error: scripted.error } };
        const ts = `1700000000.${String(++this.messages).padStart(6, '0')}`;
        if (method === 'chat.postMessage') this.posted.set(channel, [...this.messagesIn(channel), { ...args, ts }]);
        if (this.stalled.has(method)) return { status: 0, body: null };
        return { status: 200, body: { ok: true, channel, ts, message_ts: ts } };
      }
      case 'chat.getPermalink':
        return { status: 200, body: { ok: true, channel: args.channel, permalink: `https://breachdesk-test.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}` } };
      case 'files.getUploadURLExternal': {
        if (scripted?.error) return { status: 200, body: { ok: false, error: scripted.error } };
        const id = `F${String(++this.files).padStart(9, '0')}`;
        return { status: 200, body: { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id } };
      }
      case 'files.completeUploadExternal': {
        const files = (Array.isArray(args.files) ? args.files : []) as { id: string; title?: string }[];
        if (files.some((f) => !this.uploads.has(f.id))) return { status: 200, body: { ok: false, error: 'file_not_found' } };
        for (const f of files) this.completed.add(f.id);
        return { status: 200, body: { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) } };
      }
      case 'files.info': {
        const id = String(args.file);
        if (!this.completed.has(id)) return { status: 200, body: { ok: false, error: 'file_not_found' } };
        return { status: 200, body: { ok: true, file: { id, name: 'timeline.png', mimetype: 'image/png', filetype: 'png', size: this.uploads.get(id)!.length } } };
      }
      case 'conversations.history':
        return { status: 200, body: { ok: true, has_more: false, messages: [...this.messagesIn(String(args.channel))].reverse().map((m) => ({ type: 'message', ts: m.ts, text: m.text, metadata: m.metadata })) } };
      default:
        return { status: 200, body: { ok: true } };
    }
  }
}

// The WebClient posts form-encoded arguments with JSON inside (blocks, view); a few calls send JSON.
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

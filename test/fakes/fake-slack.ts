import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/** One Web API call as Slack would have received it. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/** One message sent to a response_url. */
export interface SlackResponse {
  id: string;
  body: Record<string, unknown>;
}

/**
 * A fake Slack Web API on loopback: answers what the real @slack/web-api client
 * calls (auth.test, views.*, chat.*) and records every call and every response_url
 * post, so tests assert what Slack would have shown.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: SlackResponse[] = [];
  /** Channels where posting fails as Slack does when the bot is not a member. */
  readonly notInChannel = new Set<string>();
  private server: Server | undefined;
  private sockets: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private views = 0;
  private messages = 0;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
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

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const raw = await read(req);
    const url = new URL(req.url ?? '/', this.base);
    const respond = /^\/respond\/(.+)$/.exec(url.pathname);
    if (respond) {
      this.responses.push({ id: respond[1]!, body: JSON.parse(raw) as Record<string, unknown> });
      return { status: 200, body: { ok: true } };
    }
    const method = /^\/api\/(.+)$/.exec(url.pathname)?.[1];
    if (!method) return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    this.calls.push({ method, args });
    switch (method) {
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
        return { status: 200, body: { ok: true, channel, ts: `1700000000.${String(++this.messages).padStart(6, '0')}`, message_ts: `1700000000.${String(this.messages).padStart(6, '0')}` } };
      }
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

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

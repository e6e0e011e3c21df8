import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

export const APPLICATION_ID = '111111111111111111';
export const BOT_USER_ID = '222222222222222222';
export const GUILD_ID = '333333333333333333';
export const CHANNEL_ID = '444444444444444444';

/** One REST request as Discord would have received it. */
export interface DiscordRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | unknown[] | null;
}

/**
 * A fake Discord on loopback: the REST API the bot calls and a gateway WebSocket
 * that identifies it and dispatches INTERACTION_CREATE. Every request is recorded,
 * so tests assert on what Discord would have shown.
 */
export class FakeDiscord {
  readonly requests: DiscordRequest[] = [];
  /** Channels that no longer exist: posting to them answers 404 Unknown Channel. */
  readonly goneChannels = new Set<string>();
  private server: Server | undefined;
  private gateway: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private sequence = 0;
  private ids = 900000000000000000n;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        if (status === 204) {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    this.gateway = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.gateway.on('connection', (socket) => {
      this.socket = socket;
      socket.on('message', (data: Buffer) => this.onGateway(socket, JSON.parse(data.toString()) as { op: number; d: unknown }));
      socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 }, s: null, t: null }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** What to pass as the REST `api` option. */
  get apiUrl(): string {
    return `${this.base}/api`;
  }

  get connected(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Interaction callbacks (reply, update, modal, autocomplete) sent for one interaction. */
  callbacks(interactionId: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.path.startsWith(`/api/v10/interactions/${interactionId}/`)).map((r) => r.body as Record<string, unknown>);
  }

  channelMessages(channelId: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${channelId}/messages`).map((r) => r.body as Record<string, unknown>);
  }

  /** Dispatches an interaction through the gateway as Discord does; returns its id. */
  interact(interaction: Record<string, unknown>): string {
    const id = String(++this.ids);
    this.socket!.send(JSON.stringify({
      op: 0, s: ++this.sequence, t: 'INTERACTION_CREATE',
      d: {
        id, application_id: APPLICATION_ID, token: `token-${id}`, version: 1, guild_id: GUILD_ID, channel_id: CHANNEL_ID,
        channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'soc' },
        member: { user: { id: '555555555555555555', username: 'analyst', global_name: 'Analyst', discriminator: '0', avatar: null }, roles: [], permissions: '0', joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
        app_permissions: '0', locale: 'en-US', guild_locale: 'en-US', entitlements: [], authorizing_integration_owners: { 0: GUILD_ID }, context: 0, attachment_size_limit: 8388608,
        ...interaction,
      },
    }));
    return id;
  }

  async close(): Promise<void> {
    for (const client of this.gateway?.clients ?? []) client.terminate();
    this.gateway?.close();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private onGateway(socket: WebSocket, message: { op: number; d: unknown }) {
    if (message.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
    if (message.op === 2) {
      socket.send(JSON.stringify({
        op: 0, s: ++this.sequence, t: 'READY',
        d: {
          v: 10, user: { id: BOT_USER_ID, username: 'breachdesk', discriminator: '0', bot: true, avatar: null },
          guilds: [], session_id: 'fake-session', resume_gateway_url: `${this.base.replace('http', 'ws')}/gateway`,
          application: { id: APPLICATION_ID, flags: 0 }, shard: [0, 1],
        },
      }));
    }
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const raw = await read(req);
    const path = decodeURIComponent(new URL(req.url ?? '/', this.base).pathname);
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    this.requests.push({ method: req.method ?? 'GET', path, body });
    if (path === '/api/v10/gateway/bot') {
      return { status: 200, body: { url: `${this.base.replace('http', 'ws')}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } } };
    }
    if (/^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return { status: 204, body: null };
    const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(path)?.[1];
    if (channel && req.method === 'POST') {
      if (this.goneChannels.has(channel)) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      return { status: 200, body: this.message(channel, body) };
    }
    if (/^\/api\/v10\/webhooks\//.test(path)) return { status: 200, body: this.message(CHANNEL_ID, body) };
    if (/^\/api\/v10\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path) && req.method === 'PUT') {
      return { status: 200, body: (body as unknown as Record<string, unknown>[]).map((c) => ({ ...c, id: String(++this.ids), application_id: APPLICATION_ID, version: '1' })) };
    }
    return { status: 404, body: { message: 'Unknown route in the fake', code: 0 } };
  }

  private message(channelId: string, body: Record<string, unknown> | null) {
    return {
      id: String(++this.ids), channel_id: channelId, type: 0, content: '', embeds: [], components: [], attachments: [], mentions: [], mention_roles: [],
      pinned: false, mention_everyone: false, tts: false, timestamp: new Date().toISOString(), edited_timestamp: null, flags: 0,
      author: { id: BOT_USER_ID, username: 'breachdesk', discriminator: '0', bot: true, avatar: null },
      ...(body ?? {}),
    };
  }
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

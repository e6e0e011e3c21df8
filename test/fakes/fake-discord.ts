import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

export const APPLICATION_ID = '111111111111111111';
export const BOT_USER_ID = '222222222222222222';
export const GUILD_ID = '333333333333333333';
/** A second server, on shard 1 of 2 where GUILD_ID is on shard 0 ((id >> 22) % shards, as Discord routes). */
export const OTHER_GUILD_ID = '333333333337527637';
export const CHANNEL_ID = '444444444444444444';
/** Where direct messages to any user land in the fake. */
export const DM_CHANNEL_ID = '666666666666666666';

/** One REST request as Discord would have received it. */
export interface DiscordRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | unknown[] | null;
  /** Files sent with it (multipart: `payload_json` is the body), as Discord would store them. */
  files?: DiscordFileUpload[];
}

export interface DiscordFileUpload {
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
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
  /**
   * Channels where the bot lacks Read Message History: a post that replies to a message
   * (message_reference) is refused 403, code 50013 Missing Permissions; a plain post goes through.
   */
  readonly noReadHistory = new Set<string>();
  /** Answers for the next channel posts: a 500, or a 429 with Retry-After (seconds). */
  private scripted: { status: 500 | 429; retryAfter?: number }[] = [];
  /** Channel posts are recorded (the message exists) and never answered, as when the bot dies mid-request. */
  stallPosts = false;
  /**
   * Answer a second callback for one interaction as Discord does: 400, code 40060
   * "Interaction has already been acknowledged." (Off unless a test turns it on.)
   */
  acknowledgeOnce = false;
  private readonly acknowledged = new Set<string>();
  private readonly byNonce = new Map<string, Record<string, unknown>>();
  /** Messages that exist in each channel (a repeated nonce with enforce_nonce creates none). */
  readonly messages = new Map<string, Record<string, unknown>[]>();
  private readonly waiting = new Map<string, (body: unknown) => void>();
  /** How many gateway shards Discord recommends (GET /gateway/bot), and routes servers across. */
  shardCount = 1;
  /** Each IDENTIFY as [shard id, shard count], in the order they came. */
  readonly identified: [number, number][] = [];
  private server: Server | undefined;
  private gateway: WebSocketServer | undefined;
  /** The open connection of each shard: the latest to identify as it. */
  private readonly shardSockets = new Map<number, WebSocket>();
  private sequence = 0;
  private ids = 900000000000000000n;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        if (status === 0) return; // stalled: never answered
        if (status === 204) {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    this.gateway = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.gateway.on('connection', (socket) => {
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
    return [...this.shardSockets.values()].some((s) => s.readyState === 1);
  }

  /** The shard Discord sends a server's events on: (guild id >> 22) % shard count. */
  shardOf(guildId: string): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(this.shardCount));
  }

  /** Interaction callbacks (reply, update, modal, autocomplete) sent for one interaction. */
  callbacks(interactionId: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.path.startsWith(`/api/v10/interactions/${interactionId}/`)).map((r) => r.body as Record<string, unknown>);
  }

  scriptPosts(answers: { status: 500 | 429; retryAfter?: number }[]): void {
    this.scripted = [...answers];
  }

  channelMessages(channelId: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${channelId}/messages`).map((r) => r.body as Record<string, unknown>);
  }

  /** Resolves when the first callback of this interaction arrives (for latency measurements). */
  nextCallback(interactionId: string): Promise<unknown> {
    return new Promise((resolve) => this.waiting.set(interactionId, resolve));
  }

  /**
   * Dispatches an interaction through the gateway as Discord does, on the shard of its
   * server (or on `shard`, as after a resharding moved the server); returns its id.
   */
  interact(interaction: Record<string, unknown>, options: { shard?: number } = {}): string {
    const id = String(++this.ids);
    const guildId = typeof interaction.guild_id === 'string' ? interaction.guild_id : GUILD_ID;
    this.socketOf(options.shard ?? this.shardOf(guildId)).send(JSON.stringify({
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

  /** Sends any gateway dispatch as it is, well-formed or not (hostile-input tests). */
  dispatch(t: string, d: unknown): void {
    this.socketOf(0).send(JSON.stringify({ op: 0, s: ++this.sequence, t, d }));
  }

  private socketOf(shard: number): WebSocket {
    const socket = this.shardSockets.get(shard);
    if (!socket) throw new Error(`no connection has identified as shard ${shard} of ${this.shardCount}`);
    return socket;
  }

  async close(): Promise<void> {
    for (const client of this.gateway?.clients ?? []) client.terminate();
    this.gateway?.close();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private onGateway(socket: WebSocket, message: { op: number; d: unknown }) {
    if (message.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
    if (message.op === 2) {
      const [shardId, shards] = (message.d as { shard?: [number, number] }).shard ?? [0, 1];
      this.identified.push([shardId, shards]);
      this.shardSockets.set(shardId, socket);
      socket.send(JSON.stringify({
        op: 0, s: ++this.sequence, t: 'READY',
        d: {
          v: 10, user: { id: BOT_USER_ID, username: 'breachdesk', discriminator: '0', bot: true, avatar: null },
          guilds: [], session_id: 'fake-session', resume_gateway_url: `${this.base.replace('http', 'ws')}/gateway`,
          application: { id: APPLICATION_ID, flags: 0 }, shard: [shardId, shards],
        },
      }));
    }
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const path = decodeURIComponent(new URL(req.url ?? '/', this.base).pathname);
    const { body, files } = await readPayload(req);
    this.requests.push({ method: req.method ?? 'GET', path, body, ...(files.length ? { files } : {}) });
    if (path === '/api/v10/gateway/bot') {
      return { status: 200, body: { url: `${this.base.replace('http', 'ws')}/gateway`, shards: this.shardCount, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 } } };
    }
    const callback = /^\/api\/v10\/interactions\/(\d+)\/[^/]+\/callback$/.exec(path);
    if (callback) {
      if (this.acknowledgeOnce && this.acknowledged.has(callback[1]!)) {
        return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
      }
      this.acknowledged.add(callback[1]!);
      this.waiting.get(callback[1]!)?.(body);
      this.waiting.delete(callback[1]!);
      return { status: 204, body: null };
    }
    const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(path)?.[1];
    if (channel && req.method === 'POST') {
      if (this.goneChannels.has(channel)) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      if (this.noReadHistory.has(channel) && body?.message_reference) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
      const scripted = this.scripted.shift();
      if (scripted?.status === 500) return { status: 500, body: { message: 'Internal Server Error', code: 0 } };
      if (scripted?.status === 429) {
        const after = scripted.retryAfter ?? 1;
        return { status: 429, body: { message: 'You are being rate limited.', retry_after: after, global: false },
          headers: { 'retry-after': String(after), 'x-ratelimit-scope': 'user', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(after), 'x-ratelimit-bucket': 'fake' } };
      }
      // enforce_nonce: the same nonce again returns the first message, and posts nothing.
      const nonce = body && typeof body.nonce === 'string' && body.enforce_nonce ? `${channel}:${body.nonce}` : null;
      const earlier = nonce ? this.byNonce.get(nonce) : undefined;
      if (earlier) return { status: 200, body: earlier };
      const message = this.message(channel, body);
      if (nonce) this.byNonce.set(nonce, message);
      this.messages.set(channel, [...(this.messages.get(channel) ?? []), message]);
      if (this.stallPosts) return { status: 0, body: null };
      return { status: 200, body: message };
    }
    const dm = path === '/api/v10/users/@me/channels' && req.method === 'POST';
    if (dm) return { status: 200, body: { id: DM_CHANNEL_ID, type: 1, recipients: [{ id: (body as { recipient_id?: string } | null)?.recipient_id }] } };
    const channelInfo = /^\/api\/v10\/channels\/(\d+)$/.exec(path)?.[1];
    if (channelInfo && req.method === 'GET') return { status: 200, body: { id: channelInfo, type: 0, guild_id: GUILD_ID, name: 'alerts' } };
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

/** A request's JSON body, or a multipart one's `payload_json` and files, as discord.js sends them. */
async function readPayload(req: IncomingMessage): Promise<{ body: Record<string, unknown> | null; files: DiscordFileUpload[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) return { body: raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : null, files: [] };
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const files: DiscordFileUpload[] = [];
  let body: Record<string, unknown> | null = null;
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = JSON.parse(value) as Record<string, unknown>;
    } else {
      files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return { body, files };
}

import type { webApi } from '@slack/bolt';
import { fitText } from '../../chat/text.js';
import type { Logger } from '../../log.js';
import type { Message } from '../../presentation/message.js';
import { timelinePng } from '../../presentation/timeline-png.js';
import { timelineAlt } from '../../presentation/victim-timeline.js';
import type { Timeline } from '../../presentation/victim-timeline.js';

/** Slack's longest image alt text. */
const ALT_MAX = 2000;
/**
 * Uploaded pictures remembered (by what they draw), so a lookup repeated uploads nothing
 * again; an upload under way is remembered too, so people looking up one victim at once
 * share one upload instead of each making four calls to Slack.
 */
const REMEMBERED = 200;
/** files.info asked this often, this long apart, while Slack still processes the upload. */
const READY_WAITS_MS = [0, 250, 500, 1000] as const;

/** The timelines of a message that Slack holds as files: timeline key → file id. */
export type SlackPictures = ReadonlyMap<string, string>;

/**
 * Uploads a message's timeline pictures the way Slack asks today: files.getUploadURLExternal,
 * the bytes to the URL it gives, files.completeUploadExternal (shared with no channel:
 * the file is the bot's, shown only where the bot's message shows it), then files.info
 * until Slack has processed it, so an image block naming it is accepted. Needs the
 * files:write and files:read scopes. A picture that cannot be uploaded is missing from
 * the map, and the message shows its timeline as a line of text instead.
 */
export function slackPictureUploader(client: webApi.WebClient, log?: Logger): (message: Message) => Promise<SlackPictures> {
  const uploaded = new Map<string, Promise<string | null>>();
  let warned = false;
  function upload(t: Timeline): Promise<string | null> {
    const known = uploaded.get(t.key);
    if (known) return known;
    const file = uploadOnce(t);
    uploaded.set(t.key, file);
    // One that failed is forgotten: the next lookup tries again.
    void file.then((id) => id === null && uploaded.get(t.key) === file && uploaded.delete(t.key));
    while (uploaded.size > REMEMBERED) uploaded.delete(uploaded.keys().next().value!);
    return file;
  }
  async function uploadOnce(t: Timeline): Promise<string | null> {
    try {
      const png = await timelinePng(t, 'light');
      const alt = fitText(timelineAlt(t), ALT_MAX);
      // The method's documented argument is alt_txt (the SDK's types spell it alt_text); the image block carries alt_text too.
      const target = await client.files.getUploadURLExternal({ filename: 'timeline.png', length: png.length, ...{ alt_txt: alt } });
      if (!target.upload_url || !target.file_id) return null;
      const sent = await fetch(target.upload_url, { method: 'POST', body: png, signal: AbortSignal.timeout(10_000) });
      if (!sent.ok) throw new Error(`the upload answered HTTP ${sent.status}`);
      await client.files.completeUploadExternal({ files: [{ id: target.file_id, title: `Timeline of ${t.victimName}` }] });
      if (!(await processed(target.file_id))) return null;
      return target.file_id;
    } catch (error) {
      // Once, not per lookup: a missing scope stays missing until the app is reinstalled.
      if (!warned) log?.warn('could not upload a timeline picture to Slack (scopes files:write and files:read?); showing it as text', { error });
      warned = true;
      return null;
    }
  }
  async function processed(file: string): Promise<boolean> {
    for (const wait of READY_WAITS_MS) {
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      const info = await client.files.info({ file });
      if (info.file?.mimetype?.startsWith('image/')) return true;
    }
    return false;
  }
  return async (message) => {
    const timelines = message.blocks.flatMap((b) => (b.type === 'victim' && b.timeline ? [b.timeline] : []));
    const ids = await Promise.all(timelines.map(upload));
    return new Map(timelines.flatMap((t, n) => (ids[n] ? [[t.key, ids[n]] as const] : [])));
  };
}

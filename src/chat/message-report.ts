import { LIMITS } from '../incidents/submission.js';
import type { Tlp } from '../db/schema.js';
import type { Form } from './form.js';
import { reportForm } from './report-form.js';

/** What a chat message gives a report: its words and where it is. */
export interface PostedMessage {
  /** The message as plain text (a surface turns its own markup into text first). */
  text: string;
  /** The message's own link (Slack's permalink, Discord's jump link), when known. */
  link: string | null;
}

const LINK = /https?:\/\/[^\s<>|"')\]]+/gi;

/**
 * "Report as incident" on a message where the news was posted: the report form with
 * the message as its summary and its link, then every link in it, as sources. Nothing
 * is recorded until the person fills in the victim and the date and submits.
 */
export function reportFormFromMessage(posted: PostedMessage, tlp: Tlp): Form {
  const text = posted.text.replace(/[^\P{Cc}\n\t]/gu, ' ').trim();
  const summary = text.length <= LIMITS.summary ? text : `${text.slice(0, LIMITS.summary - 1).replace(/\s+\S*$/, '')}…`;
  const links = [...(posted.link ? [posted.link] : []), ...(text.match(LINK) ?? [])]
    .map((l) => l.replace(/[.,;:!?]+$/, ''))
    .filter((l) => l.length <= 2000);
  const sources = [...new Set(links)].slice(0, LIMITS.sources);
  return reportForm({ tlp, summary: summary || undefined, sources });
}

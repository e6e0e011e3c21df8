import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { DatePrecision } from '../db/schema.js';
import { partialDate, threatActorNames } from './incident-view.js';
import type { IncidentOutline } from './incident-view.js';
import { visibleTo } from '../trust/tlp.js';
import type { Viewer } from '../trust/tlp.js';

/** An outline's columns as a statement gives them: a row, or one object of a JSON array. */
export interface OutlineRow {
  id: number;
  reference: string;
  revision: number;
  started_on: string;
  started_precision: DatePrecision;
  started_until: string;
  ended_on: string | null;
  ended_precision: DatePrecision | null;
  vendor: string | null;
  techniques: string[];
  threat_actors: string[];
}

export function outlineOf(r: OutlineRow): IncidentOutline {
  return {
    id: r.id,
    reference: r.reference,
    revision: r.revision,
    started: { on: r.started_on, precision: r.started_precision },
    startedUntil: r.started_until,
    ended: partialDate(r.ended_on, r.ended_precision),
    vendor: r.vendor,
    techniques: r.techniques,
    threatActors: r.threat_actors,
  };
}

/**
 * SQL for a select list: the newest `limit` incidents of the victim `victimId` that
 * this viewer may see, as a JSON array of outline rows, newest first. A statement that
 * already has the victims (a search's page) brings their timelines with it, instead of
 * a lookup sending one statement more for them.
 */
export function newestOutlines(victimId: RawBuilder<unknown>, limit: number, viewer: Viewer): RawBuilder<OutlineRow[]> {
  return sql<OutlineRow[]>`(select coalesce(json_agg(json_build_object(
      'id', o.id, 'reference', o.reference, 'revision', o.revision, 'started_on', o.started_on, 'started_precision', o.started_precision,
      'started_until', o.started_until, 'ended_on', o.ended_on, 'ended_precision', o.ended_precision, 'vendor', o.vendor,
      'techniques', o.techniques, 'threat_actors', ${threatActorNames('o')}) order by o.started_on desc, o.id desc), '[]')
    from (select * from incidents n where n.victim_id = ${victimId} and ${visibleTo(viewer, 'n')}
           order by n.started_on desc, n.id desc limit ${limit}) as o)`;
}

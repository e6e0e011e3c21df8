import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

const BATCH = 1_000;

/**
 * The database's own speed for an import: the same files read and parsed, and each
 * record's victim and incident written by multi-row inserts, 1,000 records a
 * transaction — nothing resolved, matched, audited or counted. What the importer's
 * records per second stand beside. Returns how many were written.
 */
export async function importFloor(pool: pg.Pool, dir: string): Promise<number> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  let written = 0;
  for (let at = 0; at < files.length; at += BATCH) {
    const docs = await Promise.all(files.slice(at, at + BATCH).map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as Veris));
    // Each victim its own row (a suffix keeps names apart), as if none were known.
    const names = docs.map((d, i) => `${d.victim?.victim_id ?? 'Unknown'} ${at + i}`);
    const client = await pool.connect();
    try {
      await client.query('begin');
      const victims = await client.query<{ id: number }>(
        `insert into victims (name, normalized_name, core_name, country, region)
         select n, lower(n), lower(n), 'US', r from unnest($1::text[], $2::text[]) as t(n, r) returning id`,
        [names, docs.map((d) => d.victim?.state ?? null)]);
      await client.query(
        `insert into incidents (reference, victim_id, started_on, started_precision, title, summary, reported_platform, reported_by, external_id)
         select 'INC-' || y || '-' || lpad(n::text, 6, '0'), v, make_date(y, 1, 1), 'year', left(s, 200), left(s, 1000), 'import', 'floor', e
         from unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::text[]) as t(v, y, s, n, e)`,
        [victims.rows.map((v) => v.id), docs.map((d) => d.timeline.incident.year), docs.map((d) => d.summary || d.incident_id), docs.map((_, i) => at + i), docs.map((d) => `floor:${d.incident_id}`)]);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
    written += docs.length;
  }
  return written;
}

// (VCDB's own files may lack a victim's id, its state or a summary.)
interface Veris { incident_id: string; summary?: string; victim?: { victim_id?: string; state?: string }; timeline: { incident: { year: number } } }

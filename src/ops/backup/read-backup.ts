import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../../errors.js';
import { BACKUP_FORMAT_VERSION, TableDigest, isHeader, isTrailer } from './backup-format.js';
import type { BackupHeader, BackupTrailer, RowLine } from './backup-format.js';

/** Opens the backup's bytes (gzip'd) from the start; called once to check them and once to load them. */
export type OpenBackup = () => Readable;

export interface CheckedBackup {
  header: BackupHeader;
  trailer: BackupTrailer;
}

/**
 * Reads the whole backup and checks it before anything is written anywhere: its
 * header, that every row names a table of the header with the right number of values,
 * and the trailer's counts and SHA-256 digests. A file that is not a backup, was cut
 * short or was changed is refused with one sentence.
 */
export async function checkBackup(open: OpenBackup, name: string): Promise<CheckedBackup> {
  let header: BackupHeader | undefined;
  let trailer: BackupTrailer | undefined;
  const whole = createHash('sha256');
  const digests = new Map<string, TableDigest>();
  for await (const { line, value } of lines(open, name)) {
    if (!header) {
      if (!isHeader(value)) throw notABackup(name);
      if (value.version > BACKUP_FORMAT_VERSION) throw new UserError(`${name} is a backup of format ${value.version}; this breachdesk reads format ${BACKUP_FORMAT_VERSION} and older. Restore it with a newer breachdesk.`, 'schema_ahead');
      header = value;
      for (const table of header.tables) digests.set(table.name, new TableDigest());
      whole.update(line);
      continue;
    }
    if (trailer) throw damaged(name, 'it goes on after its end');
    if (isTrailer(value)) {
      trailer = value;
      continue;
    }
    const row = value as RowLine;
    const table = Array.isArray(row) ? header.tables.find((t) => t.name === row[0]) : undefined;
    if (!table || !Array.isArray(row[1]) || row[1].length !== table.columns.length || !row[1].every((v) => v === null || typeof v === 'string')) {
      throw damaged(name, 'a line is not a row of its tables');
    }
    digests.get(table.name)!.add(row[1]);
    whole.update(line);
  }
  if (!header) throw notABackup(name);
  if (!trailer) throw damaged(name, 'it was cut short (no end)');
  if (trailer.sha256 !== whole.digest('hex')) throw damaged(name, 'its checksum does not match: it was changed after it was written');
  for (const [table, digest] of digests) {
    if (trailer.rows[table] !== digest.rows || trailer.tableSha256[table] !== digest.hex()) throw damaged(name, `the rows of ${table} do not match its checksum`);
  }
  return { header, trailer };
}

/** The rows of a checked backup, in file order (tables in foreign-key order). */
export async function* backupRows(open: OpenBackup, name: string): AsyncGenerator<RowLine> {
  let first = true;
  for await (const { value } of lines(open, name)) {
    if (first) {
      first = false;
      continue;
    }
    if (isTrailer(value)) return;
    yield value as RowLine;
  }
}

async function* lines(open: OpenBackup, name: string): AsyncGenerator<{ line: string; value: unknown }> {
  const input = open();
  const gunzip = createGunzip();
  // A read or gunzip error ends the lines below; it is reported as what it means.
  let failure: Error | undefined;
  input.on('error', (error) => {
    failure = error;
    gunzip.destroy(error);
  });
  gunzip.on('error', (error) => (failure ??= error));
  const reader = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  let seen = false;
  try {
    for await (const text of reader) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw seen ? damaged(name, 'a line is not JSON') : notABackup(name);
      }
      seen = true;
      yield { line: `${text}\n`, value };
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    failure ??= error as Error;
  } finally {
    reader.close();
    input.destroy();
  }
  if (failure) throw gzipProblem(name, failure, seen);
}

function gzipProblem(name: string, error: Error & { code?: string }, seen: boolean): UserError {
  if (error.code === 'ENOENT') return new UserError(`no such file: ${name}`, 'usage');
  if (error.code === 'EISDIR') return new UserError(`${name} is a folder; give a backup file.`, 'usage');
  if (error.code === 'EACCES' || error.code === 'EPERM') return new UserError(`cannot read ${name}: permission denied`, 'usage');
  if (error.code === 'Z_BUF_ERROR' || /unexpected end/i.test(error.message)) return damaged(name, 'it was cut short');
  return seen ? damaged(name, `it cannot be read (${error.message})`) : notABackup(name);
}

const notABackup = (name: string) => new UserError(`${name} is not a breachdesk backup (\`breachdesk backup\` writes them).`, 'not_a_backup');
const damaged = (name: string, why: string) => new UserError(`${name} is a damaged backup: ${why}. Nothing was restored.`, 'backup_damaged');

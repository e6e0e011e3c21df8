import { access } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../errors.js';

/**
 * Refuses an embedded ledger another process has open. PGlite serves one process
 * and does not stop a second from opening the same folder, which would corrupt it;
 * while open it keeps `postmaster.pid` in the folder and removes it on close (a
 * process killed outright leaves it behind).
 */
export async function mustNotBeInUse(dir: string): Promise<void> {
  const open = await access(path.join(dir, 'postmaster.pid')).then(() => true, () => false);
  if (!open) return;
  throw new UserError(`the embedded ledger in ${dir} is open in another process (a running bot?), and PGlite serves one process at a time: stop it and run this again, or set BACKUP_DIR for the bot to back it up itself each night. If none is running, the last was killed: \`breachdesk migrate\` opens and closes the ledger properly.`, 'ledger_in_use');
}

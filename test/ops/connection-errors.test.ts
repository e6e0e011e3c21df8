import { describe, expect, it } from 'vitest';
import { isConnectionError } from '../../src/db/database.js';
import { DatabaseUnavailableError } from '../../src/errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('which database errors mean an outage', () => {
  it.each([
    ['refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['refused on every address', Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]), { code: undefined })],
    ['admin_shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['cannot_connect_now', withCode('the database system is starting up', '57P03')],
    ['connection_failure (class 08)', withCode('connection failure', '08006')],
    ['terminated', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['already mapped', new DatabaseUnavailableError('down')],
  ])('GIVEN %s THEN the ledger is unavailable', (_, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['a closed embedded database', new Error('PGlite is closed')],
    ['not an error', 'ECONNREFUSED'],
  ])('GIVEN %s THEN it is not an outage', (_, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});

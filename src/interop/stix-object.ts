import { v5 as uuidv5 } from 'uuid';

/** A STIX 2.1 object as exported: its type, its id, and whatever properties that type has. */
export type StixObject = Record<string, unknown> & { type: string; id: string };

/** A STIX 2.1 bundle: what `breachdesk export stix` writes. */
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** breachdesk's namespace for UUIDv5 ids: the same thing gets the same STIX id in every export. */
const NAMESPACE = '6f1d3c2e-8a4b-5c7d-9e0f-1a2b3c4d5e6f';

/**
 * The STIX id of what `key` names: `stixId('identity', 'victim:12')`. Always the same for the
 * same thing, so a consumer sees a re-export as new versions of the objects it holds. STIX 2.1
 * recommends (SHOULD) random UUIDv4 ids for domain objects and stix2-validator warns on v5;
 * a random id would make every export a new set of objects, which is worse.
 */
export const stixId = (type: string, key: string): string => `${type}--${uuidv5(`${type}:${key}`, NAMESPACE)}`;

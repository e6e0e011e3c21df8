import { stixId } from './stix-object.js';
import type { StixObject } from './stix-object.js';

// STIX 2.1's incident is a stub (a name and a description), and an identity has no place
// for a victim's kind. What the ledger knows beyond that travels in a property extension
// of our own, defined by an extension-definition object that every bundle carries, rather
// than as top-level x_ properties (the 2.0 way, which stix2-validator warns about).

/** The id of breachdesk's extension definition: fixed, since consumers key extensions by it. */
export const EXTENSION_ID = 'extension-definition--3915fa96-4771-4ca0-81ec-117b225a582f';

/** When this version of the extension was defined: change it, and `version`, when the properties change. */
const DEFINED_AT = '2026-11-29T00:00:00.000Z';
const VERSION = '1.0.0';

/** The extension's properties by the object type they extend, with what each holds. */
export const EXTENSION_PROPERTIES = {
  incident: {
    started: 'string: when it started, at the precision known: 2019, 2020-04 or 2020-04-15',
    ended: 'string: when it ended, as started',
    discovered: 'string: when it was discovered, as started',
    disclosed: 'string: when it was made public, as started',
    vendor: 'string: the third-party product or supplier it went through ("Click2Gov")',
    vector: 'string: how it happened, in words ("hacking: SQLi via Web application")',
    impact: 'list of strings: confidentiality, integrity, availability (omitted when none is known)',
    motives: 'list of strings: financial, espionage, ideology, grudge, fun, convenience, fear, other, unknown (omitted when none is known)',
    records_affected: 'integer: how many records or people',
    revision: 'integer: 1 when first recorded, one more for each change in the ledger',
  },
  identity: {
    kind: 'string: city, county, state, school-district, hospital, company, government, university, nonprofit, airport or other',
    sector: 'string: the sector as the ledger has it, before mapping to industry-sector-ov ("local government / utility")',
  },
} as const;

/** breachdesk as the producer of the extension definition (which STIX requires to name its creator). */
export const PRODUCER: StixObject = {
  type: 'identity', spec_version: '2.1', id: stixId('identity', 'producer:breachdesk'), created: DEFINED_AT, modified: DEFINED_AT,
  name: 'breachdesk', identity_class: 'system', description: 'The breachdesk incident ledger, which wrote this bundle.',
};

/** The extension-definition object for {@link EXTENSION_ID}; the schema is the plain text of {@link EXTENSION_PROPERTIES}. */
export const EXTENSION_DEFINITION: StixObject = {
  type: 'extension-definition', spec_version: '2.1', id: EXTENSION_ID, created_by_ref: PRODUCER.id, created: DEFINED_AT, modified: DEFINED_AT,
  name: 'breachdesk incident ledger',
  description: 'What the breachdesk ledger records of an incident and of its victim beyond the STIX 2.1 incident stub and identity.',
  schema: Object.entries(EXTENSION_PROPERTIES)
    .map(([type, properties]) => `On ${type}: ${Object.entries(properties).map(([name, what]) => `${name} (${what})`).join('; ')}.`)
    .join(' '),
  version: VERSION,
  extension_types: ['property-extension'],
};

type Properties<T extends keyof typeof EXTENSION_PROPERTIES> = { [K in keyof (typeof EXTENSION_PROPERTIES)[T]]?: unknown };

/**
 * `{ extensions: { [EXTENSION_ID]: … } }` holding the given properties, for spreading into an
 * object; properties with no value (undefined, null, '' or an empty list) are left out, as
 * STIX wants, and with none left so is the extension.
 *
 * @example
 *   { ...stixIncident, ...breachdeskExtension('incident', { started: '2020-04', motives: [] }) }
 */
export function breachdeskExtension<T extends keyof typeof EXTENSION_PROPERTIES>(_type: T, properties: Properties<T>): { extensions?: Record<string, unknown> } {
  const present = Object.entries(properties).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
  if (present.length === 0) return {};
  return { extensions: { [EXTENSION_ID]: { extension_type: 'property-extension', ...Object.fromEntries(present) } } };
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// OASIS's STIX 2.1 JSON schemas, copied into the repository (see the README beside them),
// compiled once with ajv. They reach each other by relative $ref under their common $id.
const DIR = fileURLToPath(new URL('../fixtures/stix2-json-schemas/schemas/', import.meta.url));
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

type Schema = { $id: string; definitions?: Record<string, { enum?: string[] }> };
const schemas = readdirSync(DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as Schema);

// ajv-formats is CommonJS: under NodeNext its plugin is the default export's `default`.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin));
// Third-party schemas: not strict about their annotation keywords, and their patterns are
// ECMA-262 without the u flag (`\-` is an invalid escape under it); every format checked.
// First error only: with allErrors, bundle.json's oneOf over every type takes minutes on
// the whole VCDB's bundle instead of a second.
const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, schemas });
addFormats(ajv);
// Only domain-name observables use it, and breachdesk exports none; ajv-formats has no check for it.
ajv.addFormat('idn-hostname', true);

// A plain check, not ajv's type guard: an object that fails must keep its type for the message.
type Check = { (data: unknown): boolean; errors?: ErrorObject[] | null };
const compiled = new Map<string, Check>();
function validator(file: string): Check {
  let validate = compiled.get(file);
  if (!validate) {
    validate = ajv.getSchema(BASE + file);
    if (!validate) throw new Error(`no STIX schema ${file}`);
    compiled.set(file, validate);
  }
  return validate;
}

/** The schema that defines an object of this type; types the schemas do not define get the common core. */
function schemaFor(type: string): string {
  const own = ['sdos', 'sros', 'common', 'observables'].map((dir) => `${dir}/${type}.json`);
  return own.find((file) => ajv.getSchema(BASE + file)) ?? 'common/core.json';
}

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);

// bundle.json names the object types it knows (oneOf) and lets any other through as a custom
// object, "one of core or cyber-observable-core"; an SDO it does not name (incident, location,
// extension-definition) fits both, so that branch refuses every one of them. Such objects are
// checked against their own schema only, as OASIS's stix2-validator does object by object.
const bundleSchema = schemas.find((s) => s.$id === `${BASE}common/bundle.json`) as unknown as {
  properties: { objects: { items: { anyOf: [{ oneOf: { $ref: string }[] }] } } };
};
const BUNDLE_TYPES = new Set(bundleSchema.properties.objects.items.anyOf[0].oneOf.map((s) => path.basename(s.$ref, '.json')));

/**
 * Every schema error of a STIX bundle: the bundle against `common/bundle.json` and each object
 * against the schema of its own type (`sdos/incident.json`, `common/extension-definition.json`, …).
 * Empty when valid.
 */
export function stixSchemaErrors(bundle: { objects: { type: string; id: string }[] }): string[] {
  const errors: string[] = [];
  const validateBundle = validator('common/bundle.json');
  // Its raw errors are mostly "not an indicator" (oneOf tries every type): name the objects it
  // refuses, and their own schema says why.
  const refused = new Set<number>();
  if (!validateBundle(bundle)) {
    for (const e of validateBundle.errors ?? []) {
      const index = /^\/objects\/(\d+)/.exec(e.instancePath)?.[1];
      if (index === undefined) errors.push(`bundle: ${describeErrors([e])[0]!}`);
      else refused.add(Number(index));
    }
  }
  for (const [index, o] of bundle.objects.entries()) {
    const validate = validator(schemaFor(o.type));
    if (!validate(o)) errors.push(...describeErrors(validate.errors).map((e) => `${o.id}: ${e}`));
    if (refused.has(index) && BUNDLE_TYPES.has(o.type)) errors.push(`${o.id}: refused by common/bundle.json`);
  }
  return errors;
}

/** The industry-sector-ov vocabulary as the identity schema lists it ("government-local", "financial-services", …). */
export const INDUSTRY_SECTORS: readonly string[] = schemas.find((s) => s.$id === `${BASE}sdos/identity.json`)!.definitions!['industry-sector-ov']!.enum!;

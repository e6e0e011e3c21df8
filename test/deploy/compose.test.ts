import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRACE_SECONDS, deployFile, seconds } from './deploy-files.js';

// The Compose Specification's schema, copied in (README beside it): no Docker engine here.
const schema = JSON.parse(readFileSync(new URL('compose-spec/compose-spec.json', import.meta.url), 'utf8')) as object;
// Compose reads YAML merge keys (<<), which YAML 1.2 leaves to the parser's option.
const compose = parse(deployFile('compose.yaml'), { merge: true }) as Compose;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  volumes?: string[];
}
interface Compose { services: Record<string, Service>; volumes?: Record<string, unknown> }

describe('deploy/compose.yaml', () => {
  it('GIVEN the Compose Specification schema THEN the file validates', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // The schema names draft-07 by its https address; ajv knows it by the http one.
    ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
    const validate = ajv.compile(schema);
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('GIVEN the services THEN migrations run once PostgreSQL is healthy, and the bot only after they succeeded', () => {
    const { postgres, migrate, bot } = compose.services;
    expect(postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(migrate?.command).toEqual(['node', 'bin/breachdesk.js', 'migrate']);
    expect(migrate?.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(bot?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(bot?.depends_on?.postgres?.condition).toBe('service_healthy');
  });

  it('GIVEN the bot THEN it is the compiled image, on the PostgreSQL service, probed on /healthz', () => {
    const { migrate, bot } = compose.services;
    expect(bot?.build?.dockerfile).toBe('deploy/Dockerfile');
    expect(bot?.image).toBe(migrate?.image);
    expect(bot?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(bot?.environment?.DATABASE_URL).toBe(migrate?.environment?.DATABASE_URL);
    expect(bot?.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${bot?.environment?.PORT}/healthz`);
  });

  it('GIVEN a stop THEN Compose waits longer than the bot drains', () => {
    expect(seconds(compose.services.bot?.stop_grace_period ?? '10s')).toBeGreaterThan(DEFAULT_GRACE_SECONDS);
  });

  it('GIVEN the ledger THEN PostgreSQL keeps it in a named volume', () => {
    const mount = compose.services.postgres?.volumes?.find((v) => v.endsWith(':/var/lib/postgresql/data'));
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount!.split(':')[0]);
  });
});

import type { Migration } from 'kysely';
import * as ledger from './2026-11-27-001-ledger.js';
import * as channelAlerts from './2026-11-27-002-channel-alerts.js';
import * as submissionKey from './2026-11-27-003-submission-key.js';
import * as alertDelivery from './2026-11-27-004-alert-delivery.js';
import * as interop from './2026-11-27-005-interop.js';
import * as searchTuning from './2026-11-27-006-search-tuning.js';
import * as trust from './2026-11-28-007-trust.js';
import * as typeAhead from './2026-11-28-008-type-ahead.js';
import * as oneEventManyReports from './2026-11-29-009-one-event-many-reports.js';
import * as alertClaims from './2026-11-29-010-alert-claims.js';
import * as formDrafts from './2026-11-29-011-form-drafts.js';
import * as vendorLookup from './2026-11-29-012-vendor-lookup.js';
import * as feeds from './2026-11-29-013-feeds.js';
import * as ginWithoutPendingList from './2026-11-29-014-gin-without-pending-list.js';
import * as nameStatistics from './2026-12-03-015-name-statistics.js';

/**
 * Every migration, by name; the Migrator applies them in name order. Listed here
 * rather than found on disk so that they load the same under tsx, vitest and a
 * bundler. A test checks that every file in this folder is listed.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-27-001-ledger': ledger,
  '2026-11-27-002-channel-alerts': channelAlerts,
  '2026-11-27-003-submission-key': submissionKey,
  '2026-11-27-004-alert-delivery': alertDelivery,
  '2026-11-27-005-interop': interop,
  '2026-11-27-006-search-tuning': searchTuning,
  '2026-11-28-007-trust': trust,
  '2026-11-28-008-type-ahead': typeAhead,
  '2026-11-29-009-one-event-many-reports': oneEventManyReports,
  '2026-11-29-010-alert-claims': alertClaims,
  '2026-11-29-011-form-drafts': formDrafts,
  '2026-11-29-012-vendor-lookup': vendorLookup,
  '2026-11-29-013-feeds': feeds,
  '2026-11-29-014-gin-without-pending-list': ginWithoutPendingList,
  '2026-12-03-015-name-statistics': nameStatistics,
};

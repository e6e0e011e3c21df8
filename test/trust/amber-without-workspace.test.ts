import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/identity.js';
import { channelViewer, personViewer, sharedViewer } from '../../src/trust/permissions.js';
import type { TrustPolicy } from '../../src/trust/permissions.js';
import { mayView } from '../../src/trust/tlp.js';
import type { Tlp, Viewer } from '../../src/trust/tlp.js';

// An AMBER incident whose report named no workspace (an org-wide Slack install that sent
// none, a Discord DM, the command line) must fail closed: not "every workspace's".
// test/trust/visibility.test.ts holds the SQL rule to this same in-code one.
const policy: TrustPolicy = { reporters: { slack: null, discord: null }, admins: { slack: ['U-ADMIN'], discord: ['D-ADMIN'] } };
const slack = (userId: string, workspace: string | null): Actor => ({ platform: 'slack', workspace, userId });
const incident = (tlp: Tlp, workspace: string | null, by = { platform: 'slack' as const, userId: 'U-REPORTER' }) =>
  ({ tlp, retractedAt: null, mergedInto: null, reportedBy: { ...by, workspace } });

describe('AMBER reported from no workspace', () => {
  it.each<[string, boolean, Viewer]>([
    ['its reporter, from any workspace', true, personViewer(slack('U-REPORTER', 'T1'), policy)],
    ['its reporter, from none', true, personViewer(slack('U-REPORTER', null), policy)],
    ['a Slack admin', true, personViewer(slack('U-ADMIN', 'T2'), policy)],
    ['a Discord admin', true, personViewer({ platform: 'discord', workspace: 'G1', userId: 'D-ADMIN' }, policy)],
    ['another reporter of workspace T1', false, personViewer(slack('U-OTHER', 'T1'), policy)],
    ['another reporter of no workspace', false, personViewer(slack('U-OTHER', null), policy)],
    ['the same user id on Discord', false, personViewer({ platform: 'discord', workspace: 'G1', userId: 'U-REPORTER' }, policy)],
    ['a channel cleared for AMBER', false, channelViewer({ platform: 'slack', workspace: 'T1' }, 'amber')],
    ['a channel of no workspace cleared for AMBER', false, channelViewer({ platform: 'slack', workspace: null }, 'amber')],
    ['its reporter sharing into a channel cleared for AMBER', false, sharedViewer(slack('U-REPORTER', 'T1'), policy, channelViewer({ platform: 'slack', workspace: 'T1' }, 'amber'))],
    ['the terminal', true, personViewer({ platform: 'shell', workspace: null, userId: 'ops' }, policy)],
  ])('GIVEN %s THEN visible: %s', (_who, visible, viewer) => {
    expect(mayView(viewer, incident('amber', null))).toBe(visible);
    expect(mayView(viewer, incident('amber+strict', null))).toBe(visible);
  });

  it('GIVEN the same incidents with a workspace, or GREEN THEN the workspace rule is as before', () => {
    const other = personViewer(slack('U-OTHER', 'T1'), policy);
    expect(mayView(other, incident('amber', 'T1'))).toBe(true);
    expect(mayView(other, incident('amber', 'T2'))).toBe(false);
    expect(mayView(other, incident('green', null))).toBe(true);
    expect(mayView(personViewer(slack('U-OTHER', null), policy), incident('amber', ''))).toBe(false);
  });
});

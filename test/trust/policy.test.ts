import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/identity.js';
import { loadConfig } from '../../src/config.js';
import { isAdmin, mayManageAlerts, mayReport, policyFromConfig } from '../../src/trust/permissions.js';

const slack = (userId: string, groups: string[] = []): Actor => ({ platform: 'slack', workspace: 'T1', userId, groups });
const discord = (userId: string, groups: string[] = [], canManageChannel = false): Actor => ({ platform: 'discord', workspace: '1', userId, groups, canManageChannel });
const shell: Actor = { platform: 'shell', workspace: null, userId: 'me' };

describe('the permission lists from the environment', () => {
  it('GIVEN SLACK_REPORTERS only THEN Slack is limited to it, Discord stays open, and the terminal may do anything', () => {
    const policy = policyFromConfig(loadConfig({ SLACK_REPORTERS: 'UANA, SSOC' }));
    expect([mayReport(slack('UANA'), policy), mayReport(slack('UBEA', ['SSOC']), policy), mayReport(slack('UCARL'), policy)]).toEqual([true, true, false]);
    expect(mayReport(discord('123456789'), policy)).toBe(true);
    expect([mayReport(shell, policy), isAdmin(shell, policy)]).toEqual([true, true]);
  });

  it('GIVEN SLACK_ADMINS and DISCORD_ADMINS THEN admins may report anywhere; Slack alerts follow the list, Discord alerts Manage Channels', () => {
    const policy = policyFromConfig(loadConfig({ SLACK_ADMINS: 'UBOSS', DISCORD_ADMINS: '99999', DISCORD_REPORTERS: '55555' }));
    expect([mayManageAlerts(slack('UBOSS'), policy), mayManageAlerts(slack('UANA'), policy)]).toEqual([true, false]);
    expect([mayManageAlerts(discord('1234567', [], true), policy), mayManageAlerts(discord('99999'), policy)]).toEqual([true, false]);
    expect([isAdmin(discord('7777777', ['99999']), policy), mayReport(discord('7777777', ['99999']), policy), mayReport(discord('7777777'), policy)]).toEqual([true, true, false]);
  });

  it('GIVEN a malformed list THEN the configuration error names the variable, not the value', () => {
    expect(() => loadConfig({ SLACK_REPORTERS: 'ana@example.org' })).toThrow(/SLACK_REPORTERS must be Slack user ids/);
    expect(() => loadConfig({ SLACK_REPORTERS: 'ana@example.org' })).not.toThrow(/ana@example/);
    expect(() => loadConfig({ CHANNEL_CLEARANCE_DEFAULT: 'red' })).toThrow(/CHANNEL_CLEARANCE_DEFAULT cannot be red/);
    expect(loadConfig({ TLP_DEFAULT: 'TLP:AMBER+STRICT' }).TLP_DEFAULT).toBe('amber+strict');
  });
});

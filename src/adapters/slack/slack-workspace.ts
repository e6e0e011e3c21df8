/**
 * The workspace (team id) an interaction (a button, a modal submission) comes from.
 *
 * Installed in one workspace, Slack sends `team: { id: "T…" }`. Installed org-wide on
 * Enterprise Grid, it sends `team: null` and the `enterprise`, and names the person's
 * workspace only as `user.team_id`; its `view.team_id` then holds the enterprise's id
 * ("E…"), which is no workspace, so it is never read here. Slash commands always carry
 * `team_id`. Null when Slack names no workspace: an AMBER report from there is then
 * seen by no one but its reporter and admins (see `visibleTo`).
 *
 * @example interactionWorkspace({ team: null, enterprise: { id: 'E1' }, user: { id: 'U1', team_id: 'T9' } }) // 'T9'
 */
export function interactionWorkspace(body: { team?: unknown; user?: unknown }): string | null {
  return idOf(field(body.team, 'id')) ?? idOf(field(body.user, 'team_id'));
}

// The body is signed but its shape is Slack's to choose: anything else is no id.
function field(object: unknown, key: string): unknown {
  return typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[key] : undefined;
}

function idOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

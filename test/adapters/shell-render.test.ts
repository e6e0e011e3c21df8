import { describe, expect, it } from 'vitest';
import { numberedActions, renderForTerminal } from '../../src/adapters/shell/render.js';
import { message } from '../../src/presentation/message.js';

const hostile = 'Evil\u001b[2J\u001b]0;pwned\u0007 Corp\r\u0000';

describe('the terminal renderer', () => {
  const msg = message('fallback',
    { type: 'heading', text: `Results for ${hostile}` },
    { type: 'victim', victim: { id: 1, name: hostile, description: 'company · US' }, totalIncidents: 3, incidents: [{
      reference: 'INC-2020-0001', period: '2020-04 – 2020-06', title: hostile, summary: `${hostile}\nsecond line`, vendor: 'Click2Gov',
      impact: 'confidentiality', motives: 'financial', techniques: 'T1190', threatActors: '', sources: ['https://example.org/x'],
    }] },
    { type: 'actions', actions: [{ label: 'Show all 3 incidents', command: 'victim #1' }, { label: 'Next page', command: 'more abc q' }] },
  );

  it('GIVEN text with escape sequences THEN none reach the terminal', () => {
    for (const color of [false, true]) {
      const out = renderForTerminal(msg, { color }).replace(/\u001b\[[0-9;]*m/g, '');
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      expect(out).toContain('Evil[2J]0;pwned Corp');
    }
  });

  it('GIVEN no colour THEN plain text; GIVEN colour THEN ANSI styles', () => {
    expect(renderForTerminal(msg, { color: false })).not.toContain('\u001b[');
    expect(renderForTerminal(msg, { color: true })).toContain('\u001b[1m');
  });

  it('GIVEN buttons THEN numbered lines whose numbers run their commands', () => {
    const out = renderForTerminal(msg, { color: false });
    expect(out).toContain('1) Show all 3 incidents');
    expect(out).toContain('2) Next page');
    expect(numberedActions(msg)).toEqual(['victim #1', 'more abc q']);
    expect(out).toContain('3 incidents, showing 1');
  });
});

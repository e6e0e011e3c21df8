import { describe, expect, it } from 'vitest';
import { deployFile } from '../deploy/deploy-files.js';

// systemd-analyze verify checks the syntax; this checks what a nightly backup needs of the units.
function settings(name: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let section = '';
  for (const line of deployFile(name).split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line.trim());
    if (header) section = header[1]!;
    const setting = /^(\w+)=(.*)$/.exec(line.trim());
    if (setting) found.set(`${section}.${setting[1]!}`, [...(found.get(`${section}.${setting[1]!}`) ?? []), setting[2]!]);
  }
  return found;
}

describe('deploy/breachdesk-backup.service and .timer', () => {
  const service = settings('breachdesk-backup.service');
  const bot = settings('breachdesk.service');
  const timer = settings('breachdesk-backup.timer');

  it('GIVEN the service THEN it runs breachdesk backup once, as the bot\'s user, with the bot\'s settings, into a folder of its own', () => {
    expect(service.get('Service.Type')).toEqual(['oneshot']);
    expect(service.get('Service.ExecStart')?.at(-1)).toMatch(/ \/opt\/breachdesk\/bin\/breachdesk\.js backup$/);
    expect(service.get('Service.User')).toEqual(bot.get('Service.User'));
    expect(service.get('Service.EnvironmentFile')).toEqual(bot.get('Service.EnvironmentFile'));
    expect(service.get('Service.WorkingDirectory')).toEqual([`/var/lib/${service.get('Service.StateDirectory')![0]}`]);
    expect(service.get('Service.UMask')).toEqual(['0077']);
  });

  it('GIVEN the timer THEN nightly, and a night missed while the machine was off runs at the next boot', () => {
    expect(timer.get('Timer.OnCalendar')?.[0]).toMatch(/^\*-\*-\* \d\d:\d\d:\d\d$/);
    expect(timer.get('Timer.Persistent')).toEqual(['true']);
    expect(timer.get('Install.WantedBy')).toEqual(['timers.target']);
  });
});

import { random } from './synthetic-ledger.js';

// Have I Been Pwned's list of breaches, as `GET /api/v3/breaches` answers it, made up:
// `count` breached sites of distinct made-up names, dates over ten years. Each is a new
// victim, as most of a feed's records are; a few names come near another's, as real
// ones do ("Quillmere" and "Quillmere Press").

const SYLLABLES = ['qu', 'ill', 'mer', 'ba', 'ro', 'ven', 'tal', 'cor', 'vi', 'dex', 'lun', 'ar', 'zo', 'pel', 'kin', 'tra', 'sol', 'ny', 'fe', 'gor', 'ash', 'em', 'ix', 'ula'];
const KINDS = ['Forum', 'Games', 'Shop', 'Travel', 'Media', 'Cloud', 'Labs', 'Books', 'Music', 'Market', 'Dating', 'Sports', 'News', 'Pets', 'Auto', 'Press'];
const DATA = ['Email addresses', 'Passwords', 'Usernames', 'IP addresses', 'Names', 'Phone numbers', 'Dates of birth', 'Physical addresses'];

export function syntheticHibpBreaches(count: number, seed: number): Record<string, unknown>[] {
  const r = random(seed);
  const names = new Set<string>();
  while (names.size < count) {
    const stem = Array.from({ length: r.int(3, 5) }, () => r.pick(SYLLABLES)).join('');
    const site = `${stem[0]!.toUpperCase()}${stem.slice(1)}`;
    names.add(r.next() < 0.1 ? `${site} ${r.pick(KINDS)}` : site);
  }
  return [...names].map((title) => {
    const day = new Date(Date.UTC(2014, 0, 1) + r.int(0, 3650) * 86_400_000).toISOString().slice(0, 10);
    const name = title.replace(/\W/g, '');
    return {
      Name: name, Title: title, Domain: `${name.toLowerCase()}.example`, BreachDate: day, AddedDate: `${day}T12:00:00Z`, ModifiedDate: `${day}T12:00:00Z`,
      PwnCount: r.int(1_000, 5_000_000), Description: `In ${day.slice(0, 4)}, ${title} suffered a data breach that exposed its members' accounts.`,
      DataClasses: DATA.filter(() => r.next() < 0.5).concat('Email addresses').filter((d, i, all) => all.indexOf(d) === i),
      IsVerified: true, IsFabricated: false, IsSensitive: false, IsRetired: false, IsSpamList: false, IsMalware: false, IsSubscriptionFree: false, IsStealerLog: false,
    };
  });
}

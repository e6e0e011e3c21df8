import type { EvalScore, Figures, JudgedPair } from './score.js';

// What `npm run eval` prints: the figures first, then every miss and wrong alarm
// on one line each. Files go by their first 8 characters (`ls incidents/6DB60D29*`).

const WIDTH = 160;

const ratio = (n: number, d: number) => `${n}/${d} = ${d === 0 ? 'n/a' : (n / d).toFixed(2)}`;
const short = (file: string) => file.slice(0, 8);
const incidents = (files: string[][]) => files.map((f) => f.map(short).join('+') || '(no sample record)').join(' | ');
const clip = (line: string) => (line.length > WIDTH ? `${line.slice(0, WIDTH - 1)}…` : line);
const firstWhy = (pairs: JudgedPair[]) => `${pairs[0]?.why ?? ''}${pairs.length > 1 ? ` (+${pairs.length - 1} more pairs)` : ''}`;

/** One line: recall, precision and the victims that count neither way. */
export function figuresLine(f: Figures): string {
  return `recall ${ratio(f.found, f.trueRepeats)}   precision ${ratio(f.trueAlarms, f.trueAlarms + f.falseAlarms)}   neither ${f.neither}   (${f.listed} victims listed)`;
}

export function scoreText(score: EvalScore): string[] {
  const { all, certainOnly } = score;
  return [
    `all listed:   ${figuresLine(all)}`,
    certainOnly ? `certain only: ${figuresLine(certainOnly)}` : 'certain only: the listing does not say which verdicts are certain',
    '',
    `missed true repeats (${all.missed.length}):`,
    ...all.missed.map((m) => clip(`  ${m.key}: ${m.files.map(short).join(' ')} (${m.names.join(' / ')})`)),
    '',
    `false alarms (${all.falseAlarmVictims.length}):`,
    ...all.falseAlarmVictims.map((v) => clip(`  ${v.name}: ${incidents(v.incidents)} — ${firstWhy(v.pairs)}`)),
    '',
    `neither (${all.neitherVictims.length}):`,
    ...all.neitherVictims.map((v) => clip(`  ${v.name}: ${incidents(v.incidents)} — ${firstWhy(v.pairs)}`)),
  ];
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateHhs, missingHhs } from './hhs-run.js';
import { scoreText } from './score-text.js';

// npm run eval:hhs [-- --data DIR] [--json]: the HHS OCR breach portal sample alone
// (`npm run eval` prints it beside the VCDB figures).

const WINDOW_DAYS = 365;
const { values } = parseArgs({ options: { data: { type: 'string' }, json: { type: 'boolean', default: false } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const data = path.resolve(values.data ?? path.join(root, '../shared/data/hhs'));
const absent = missingHhs(data);
if (absent) {
  console.log(`Nothing scored: the labelled sample is not here (${absent} does not exist).`);
  process.exit(values.data ? 1 : 0);
}
const result = await evaluateHhs(data, WINDOW_DAYS);
if (values.json) {
  console.log(JSON.stringify({ data, windowDays: WINDOW_DAYS, ...result }, null, 2));
} else {
  console.log(`imported ${result.imported} records in ${result.importSeconds.toFixed(1)} s (${result.invalid.length} invalid, ${result.joined} joined an incident they report again) from ${data}`);
  for (const bad of result.invalid.slice(0, 5)) console.log(`  not imported: ${bad.file}: ${bad.reason}`);
  console.log(scoreText(result.score).join('\n'));
}

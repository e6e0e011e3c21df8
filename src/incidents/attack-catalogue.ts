import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A MITRE ATT&CK Enterprise technique or sub-technique. */
export interface AttackTechnique {
  id: string;
  name: string;
  tactics: string[];
  url: string;
}

/** A MITRE ATT&CK threat group. */
export interface AttackGroup {
  id: string;
  name: string;
  aliases: string[];
  url: string;
}

const DIR = new URL('../../reference/attack/', import.meta.url);

let techniques: Map<string, AttackTechnique> | undefined;
let groups: Map<string, AttackGroup> | undefined;

/** Every Enterprise technique by id ('T1190', 'T1059.001'), read once from the shipped copy. */
export function attackTechniques(): ReadonlyMap<string, AttackTechnique> {
  techniques ??= new Map(
    readTable('enterprise-techniques.csv', ['id', 'name', 'tactics', 'is_subtechnique', 'url']).map(
      ([id, name, tactics, , url]) => [id, { id, name, tactics: tactics.split(';').filter(Boolean), url }],
    ),
  );
  return techniques;
}

export function attackTechnique(id: string): AttackTechnique | undefined {
  return attackTechniques().get(id.trim().toUpperCase());
}

/** Threat groups by lower-cased name and alias: 'apt28', 'fancy bear' → G0007. */
export function attackGroupsByName(): ReadonlyMap<string, AttackGroup> {
  if (!groups) {
    groups = new Map();
    for (const [id, name, aliases, url] of readTable('enterprise-groups.csv', ['id', 'name', 'aliases', 'url'])) {
      const group = { id, name, aliases: aliases.split(';').filter(Boolean), url };
      for (const label of [name, ...group.aliases]) groups.set(label.toLowerCase(), group);
    }
  }
  return groups;
}

// The shipped files are plain CSV without quoting; a line that does not fit the
// header is a corrupted copy, and we say so rather than guess.
function readTable(file: string, header: string[]): [string, string, string, string, string][] {
  const path = fileURLToPath(new URL(file, DIR));
  const [first, ...lines] = readFileSync(path, 'utf8').trimEnd().split(/\r?\n/);
  if (first !== header.join(',')) throw new Error(`${path}: unexpected header ${first}`);
  return lines.map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== header.length) throw new Error(`${path}:${i + 2}: expected ${header.length} columns`);
    return cells as [string, string, string, string, string];
  });
}

/** Techniques for type-ahead: by id prefix ("T119") or words of the name ("public-facing"). */
export function suggestTechniques(typed: string, limit = 25): AttackTechnique[] {
  const q = typed.trim().toLowerCase();
  const all = [...attackTechniques().values()];
  if (q === '') return all.filter((t) => !t.id.includes('.')).slice(0, limit);
  const byId = all.filter((t) => t.id.toLowerCase().startsWith(q));
  const byName = all.filter((t) => !byId.includes(t) && t.name.toLowerCase().includes(q));
  return [...byId, ...byName].slice(0, limit);
}

import { describe, expect, it } from 'vitest';
import { deployFile } from './deploy-files.js';

// CI builds nothing with Docker: .ci/dockerfile-dry-run.js runs these steps in scratch
// folders. This checks the shape an operator relies on.
const lines = deployFile('Dockerfile').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const stages = lines.reduce<string[][]>((all, line) => (line.startsWith('FROM ') ? [...all, [line]] : (all.at(-1)?.push(line), all)), []);
const image = stages.at(-1) ?? [];

describe('deploy/Dockerfile', () => {
  it('GIVEN the stages THEN it builds in one and runs from another that copies the build, not the sources', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]!.some((l) => /^RUN npm run build\b/.test(l))).toBe(true);
    expect(stages[0]!.some((l) => /^RUN npm prune --omit=dev\b/.test(l))).toBe(true);
    const copied = image.filter((l) => l.startsWith('COPY '));
    expect(copied.every((l) => l.includes('--from='))).toBe(true);
    expect(copied.some((l) => / \/app\/dist /.test(l))).toBe(true);
    expect(copied.some((l) => / \/app\/src /.test(l))).toBe(false);
  });

  it('GIVEN the image THEN it runs as a user other than root, the compiled bin, probed on /healthz', () => {
    expect(image.filter((l) => l.startsWith('USER ')).at(-1)).toMatch(/^USER (?!root\b|0\b)\w+/);
    expect(image.find((l) => l.startsWith('CMD '))).toBe('CMD ["node", "--max-semi-space-size=8", "--liftoff-only", "bin/breachdesk.js", "start"]');
    expect(image.find((l) => l.startsWith('HEALTHCHECK '))).toMatch(/\/healthz/);
  });
});

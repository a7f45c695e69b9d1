/**
 * Every bundled scenario is also a test: each step's expect block must hold. The teaching
 * material and the regression suite are the same files.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScenarios } from '../../main/cli/commands/check';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';
import { formatIssue } from '../../engine/scenario/types';

const dir = path.resolve(import.meta.dirname, '../../scenarios');
const files = findScenarios(dir);

describe('bundled scenarios', () => {
  it('there are scenarios to run', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });
  for (const file of files) {
    it(path.relative(dir, file), async () => {
      const loaded = loadScenarioFile(file);
      if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
      const session = await ScenarioSession.open(loaded.scenario);
      try {
        const failures: string[] = [];
        for (const outcome of await session.runAll()) {
          for (const c of outcome.checks.filter((c) => !c.passed)) {
            failures.push(`step ${outcome.step.index} (line ${outcome.step.line}) ${c.what}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`);
          }
        }
        expect(failures).toEqual([]);
      } finally {
        await session.close();
      }
    });
  }
});

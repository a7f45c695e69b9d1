import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';

async function tracesOf(file: string, seed?: string): Promise<string> {
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new Error('invalid scenario');
  const session = await ScenarioSession.open(seed ? { ...loaded.scenario, seed } : loaded.scenario);
  try {
    return JSON.stringify((await session.runAll()).map((o) => o.traces));
  } finally {
    await session.close();
  }
}

describe('determinism', () => {
  const file = path.resolve(import.meta.dirname, '../../scenarios/rest/lambda-proxy-crud.yaml');
  it('the same scenario gives byte-identical traces, ids and times included', async () => {
    const a = await tracesOf(file);
    expect(a.length).toBeGreaterThan(1000);
    expect(await tracesOf(file)).toBe(a);
  });
  it('another seed gives other ids', async () => {
    expect(await tracesOf(file, 'another-seed')).not.toBe(await tracesOf(file));
  });
});

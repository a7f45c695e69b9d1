/**
 * The scenario library as a whole: every bundled scenario follows the library's rules (topic
 * vocabulary, level, teaches, narration on every step, a predict question, an expect block on
 * every request, id and folder by gateway type), the tracks name real scenarios, the library is
 * big enough, and scenarios/README.md is what `npm run scenarios:index` generates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLibraryIndex } from '../../main/cli/commands/index';
import { findScenarios } from '../../main/cli/commands/check';
import { libraryIssues, loadTracks } from '../../engine/scenario/library';
import { loadScenarioFile } from '../../engine/scenario/loader';
import type { Scenario } from '../../engine/scenario/types';

const dir = path.resolve(import.meta.dirname, '../../scenarios');
const scenarios: Scenario[] = findScenarios(dir).flatMap((f) => {
  const r = loadScenarioFile(f);
  return r.ok ? [r.scenario] : [];
});
const tracks = loadTracks(path.join(dir, 'tracks.yaml'));

describe('the scenario library', () => {
  it('every scenario follows the library rules', () => {
    expect(libraryIssues(scenarios, tracks, dir)).toEqual([]);
  });

  it('has at least 30 scenarios: 12 running REST, 8 running HTTP and 5 running WebSocket (a comparison counts for each type)', () => {
    const runs = (g: string) => scenarios.filter((s) => s.gateways.includes(g as Scenario['gateways'][number])).length;
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
    expect(runs('REST')).toBeGreaterThanOrEqual(12);
    expect(runs('HTTP')).toBeGreaterThanOrEqual(8);
    expect(runs('WEBSOCKET')).toBeGreaterThanOrEqual(5);
  });

  it('has a beginner track of beginner scenarios, and a pitfalls track', () => {
    const beginner = tracks.find((t) => t.id === 'beginner');
    expect(beginner?.scenarios.length).toBeGreaterThanOrEqual(8);
    for (const e of beginner!.scenarios) expect(scenarios.find((s) => s.id === e.id)?.level, e.id).toBe('beginner');
    expect(tracks.find((t) => t.id === 'pitfalls')?.scenarios.length).toBeGreaterThanOrEqual(14);
  });

  it('scenarios/README.md is up to date (run npm run scenarios:index)', () => {
    const built = buildLibraryIndex(dir);
    if (!built.ok) throw new Error(built.errors.join('\n'));
    const current = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    // A plain boolean keeps the failure message short: the fix is always the same command.
    expect(current === built.markdown, 'scenarios/README.md is stale: run npm run scenarios:index').toBe(true);
  });
});

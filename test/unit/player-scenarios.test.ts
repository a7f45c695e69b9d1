/**
 * Every bundled scenario through the player's pure parts: every trace of every step gets a
 * timeline whose steps all land on a box the layout knows (no generic boxes for the engine's own
 * steps), and frameAt works at every step and at the end. A new engine step without a box, or a
 * trace the player cannot lay out, fails here before anyone sees it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScenarios } from '../../main/cli/commands/check';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';
import type { Trace } from '../../engine/trace/types';
import { layoutFor, nodeForStep } from '../../renderer/src/diagram/layouts';
import { frameAt, nodeStates } from '../../renderer/src/playback/frame';
import { buildTimeline } from '../../renderer/src/playback/timeline';

const SCENARIOS = path.resolve(import.meta.dirname, '../../scenarios');
const files = findScenarios(SCENARIOS).map((f) => path.relative(SCENARIOS, f));

describe('every bundled scenario in the player', () => {
  it.each(files)('%s', async (file) => {
    const loaded = loadScenarioFile(path.join(SCENARIOS, file));
    if (!loaded.ok) throw new Error(`${file} does not load`);
    const session = await ScenarioSession.open(loaded.scenario);
    const traces: Trace[] = [];
    try {
      for (const step of loaded.scenario.steps) {
        const o = await session.run(step);
        traces.push(...(o.allTraces ?? (Object.values(o.traces) as Trace[])));
      }
    } finally {
      await session.close();
    }
    for (const trace of traces) {
      const layout = layoutFor(trace.api.type);
      const unknown = trace.steps.filter((s) => nodeForStep(layout, s).startsWith('step:')).map((s) => `${s.step} (${s.phase})`);
      expect(unknown, `${trace.api.type} steps without a box`).toEqual([]);
      const tl = buildTimeline(trace, layout);
      for (const seg of tl.segments) {
        const f = frameAt(tl, seg.arrive);
        expect(Number.isFinite(f.packet.at.x) && Number.isFinite(f.packet.at.y)).toBe(true);
        expect(f.stepIndex).toBeLessThan(trace.steps.length);
        nodeStates(tl, f.stepIndex, f.done);
      }
      expect(frameAt(tl, tl.duration).done).toBe(true);
      if (trace.stoppedAt) expect(tl.stoppedIndex, `${trace.stoppedAt} is a step of the trace`).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);
});

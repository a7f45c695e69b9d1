/**
 * The player's pure parts: layouts per gateway type, the timeline and frameAt (stepping back
 * gives exactly the frame shown on the way forward), the clock on a fake scheduler, snapshot
 * diffs, execution-log ownership and the library's filters. Traces come from the engine.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';
import type { Trace, TraceStep } from '../../engine/trace/types';
import type { ScenarioSummary } from '../../engine/api/types';
import { edgeBetween, edgePath, pointOnEdge } from '../../renderer/src/diagram/geometry';
import { layoutFor, nodeForStep } from '../../renderer/src/diagram/layouts';
import { PlaybackClock } from '../../renderer/src/playback/clock';
import { frameAt, nodeStates, stepTarget } from '../../renderer/src/playback/frame';
import { arrivalOf, buildTimeline } from '../../renderer/src/playback/timeline';
import { diffSnapshots, formatValue } from '../../renderer/src/inspector/diff';
import { logLineOwners, messageOf } from '../../renderer/src/inspector/log-lines';
import { NO_FILTER, librarySections, matches } from '../../renderer/src/library/filter';
import { integrationKind, stepNote, wrapLabel } from '../../renderer/src/diagram/step-facts';
import { choiceMatches } from '../../renderer/src/player/predict';

const SCENARIOS = path.resolve(import.meta.dirname, '../../scenarios');

async function tracesOf(file: string): Promise<Trace[]> {
  const loaded = loadScenarioFile(path.join(SCENARIOS, file));
  if (!loaded.ok) throw new Error(`${file} does not load`);
  const session = await ScenarioSession.open(loaded.scenario);
  try {
    const out: Trace[] = [];
    for (const step of loaded.scenario.steps) {
      const o = await session.run(step);
      out.push(...(Object.values(o.traces) as Trace[]));
    }
    return out;
  } finally {
    await session.close();
  }
}

let rest: Trace[];
let authz: Trace[];
let http: Trace[];
beforeAll(async () => {
  [rest, authz, http] = await Promise.all([tracesOf('rest/hello-mock.yaml'), tracesOf('rest/token-authorizer.yaml'), tracesOf('http/cors.yaml')]);
}, 60_000);

describe('geometry', () => {
  it('draws and evaluates the same curve', () => {
    const e = edgeBetween({ x: 0, y: 0 }, { x: 100, y: 50 });
    expect(edgePath(e)).toBe('M0,0C50,0,50,50,100,50');
    expect(pointOnEdge(e, 0)).toEqual({ x: 0, y: 0 });
    expect(pointOnEdge(e, 1)).toEqual({ x: 100, y: 50 });
    expect(pointOnEdge(e, 0.5)).toEqual({ x: 50, y: 25 });
  });
});

describe('layouts', () => {
  it('puts every REST step on its box, in the console’s picture', () => {
    const layout = layoutFor('REST');
    const ids = layout.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['client', 'route', 'authorizer', 'apiKey', 'validate', 'integrationRequest', 'backend', 'integrationResponse', 'methodResponse', 'gatewayResponse']));
    expect(layout.groups.map((g) => g.label)).toEqual(['Method request', 'Integration request', 'Integration response', 'Method response']);
    for (const t of rest) for (const s of t.steps) expect(ids).toContain(nodeForStep(layout, s));
    // Boxes do not overlap.
    const boxes = layout.nodes;
    for (const a of boxes) for (const b of boxes) {
      if (a === b) continue;
      const overlap = Math.abs(a.x - b.x) * 2 < a.w + b.w && Math.abs(a.y - b.y) * 2 < a.h + b.h;
      expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
    }
  });

  it('HTTP APIs have no integration request/response boxes, but parameter mapping and CORS', () => {
    const labels = layoutFor('HTTP').nodes.map((n) => n.label);
    expect(labels).toEqual(expect.arrayContaining(['Parameter mapping', 'Response mapping', 'CORS preflight', 'Authorizer']));
    expect(labels).not.toContain('Integration request');
    expect(layoutFor('HTTP').groups).toEqual([]);
  });

  it('WebSocket APIs have route selection, route responses and the @connections API', () => {
    const layout = layoutFor('WEBSOCKET');
    expect(layout.nodes.map((n) => n.label)).toEqual(expect.arrayContaining(['Connection', 'Route selection', 'Route response', '@connections API']));
    expect(nodeForStep(layout, { step: 'routeSelection', phase: 'routing' })).toBe('route');
    expect(nodeForStep(layout, { step: 'connectionsApi', phase: 'integration' })).toBe('connections');
  });

  it('gives a step it does not know a box of its own, found by phase first', () => {
    const known = layoutFor('REST', [{ step: 'usagePlanQuota', phase: 'apiKey' }]);
    expect(nodeForStep(known, { step: 'usagePlanQuota', phase: 'apiKey' })).toBe('apiKey');
    const odd = { step: 'teleport', phase: 'wormhole' } as unknown as TraceStep;
    const layout = layoutFor('HTTP', [odd]);
    expect(nodeForStep(layout, odd)).toBe('step:teleport');
    expect(layout.nodes.find((n) => n.id === 'step:teleport')?.label).toBe('Teleport');
  });
});

describe('timeline and frameAt', () => {
  it('is a pure function of t: stepping back gives exactly the frames shown on the way forward', () => {
    const trace = rest[0]!;
    const tl = buildTimeline(trace, layoutFor('REST'));
    const forward = tl.segments.map((s) => frameAt(tl, s.arrive));
    const back = [...tl.segments].reverse().map((s) => frameAt(tl, s.arrive)).reverse();
    expect(back).toEqual(forward);
    expect(frameAt(tl, 1234.5)).toEqual(frameAt(tl, 1234.5));
  });

  it('highlights each step in turn, and is done when the response is back at the client', () => {
    const trace = rest[0]!;
    const tl = buildTimeline(trace, layoutFor('REST'));
    expect(frameAt(tl, 0)).toMatchObject({ stepIndex: 0, done: false });
    trace.steps.forEach((_s, i) => expect(frameAt(tl, arrivalOf(tl, i)).stepIndex).toBe(i));
    const end = frameAt(tl, tl.duration);
    expect(end).toMatchObject({ stepIndex: trace.steps.length - 1, done: true });
    expect(frameAt(tl, tl.duration + 1e6)).toEqual(end);
    expect(frameAt(tl, -5)).toEqual(frameAt(tl, 0));
    // Mid-travel the packet is between the two boxes, and the previous step stays highlighted.
    const seg = tl.segments.find((s) => s.index > 1 && s.edge)!;
    const mid = frameAt(tl, (seg.start + seg.arrive) / 2);
    expect(mid.stepIndex).toBe(seg.index - 1);
    expect(mid.packet.moving).toBe(true);
    // A skipped step (no authorizer here) leaves the packet where it was.
    const skipped = tl.segments.find((s) => trace.steps[s.index]?.outcome === 'skip')!;
    expect(skipped.edge).toBeNull();
    expect(frameAt(tl, skipped.arrive).packet.at).toEqual(tl.segments[skipped.index - 1]!.rest);
  });

  it('steps with → and ← from box to box', () => {
    const tl = buildTimeline(rest[0]!, layoutFor('REST'));
    let t = 0;
    const seen: number[] = [];
    for (let i = 0; i < tl.segments.length + 2; i++) {
      t = stepTarget(tl, t, 1);
      seen.push(frameAt(tl, t).stepIndex);
    }
    expect(seen.slice(0, rest[0]!.steps.length - 1)).toEqual(rest[0]!.steps.slice(1).map((_s, i) => i + 1));
    expect(t).toBe(tl.duration);
    expect(frameAt(tl, stepTarget(tl, arrivalOf(tl, 3), -1)).stepIndex).toBe(2);
  });

  it('marks the step that rejected the request, and the packet turns to an error on its way back', () => {
    const missing = authz[0]!; // no token: 401 at the authorizer
    expect(missing.stoppedAt).toBe('authorizer');
    const tl = buildTimeline(missing, layoutFor('REST'));
    expect(tl.stopTone).toBe('rejected');
    const stop = tl.stoppedIndex;
    expect(missing.steps[stop]!.step).toBe('authorizer');
    const states = nodeStates(tl, stop, false);
    expect(states.get('authorizer')).toBe('stopped');
    expect(states.get('backend')).toBe('unreached');
    const after = frameAt(tl, arrivalOf(tl, stop + 1));
    expect(after.packet.tone).toBe('rejected');
    expect(tl.segments[stop + 1]!.nodeId).toBe('gatewayResponse');
    const end = nodeStates(tl, missing.steps.length - 1, true);
    expect(end.get('gatewayResponse')).toBe('passed');
  });

  it('a CORS preflight answered by the gateway is a short cut, not a rejection', () => {
    const preflight = http.find((t) => t.request.method === 'OPTIONS' && t.response.statusCode === 204);
    expect(preflight).toBeDefined();
    const tl = buildTimeline(preflight!, layoutFor('HTTP'));
    expect(tl.stopTone).toBe('shortcut');
    expect(nodeStates(tl, tl.stoppedIndex + 1, false).get('corsPreflight')).toBe('shortcut');
  });
});

describe('the clock', () => {
  it('plays on animation frames, pauses at the end, and steps exactly', () => {
    let now = 0;
    const queue: ((n: number) => void)[] = [];
    const clock = new PlaybackClock({ request: (cb) => queue.push(cb), cancel: () => queue.splice(0), now: () => now });
    const tl = buildTimeline(rest[0]!, layoutFor('REST'));
    const seen: number[] = [];
    clock.subscribe((s) => s.frame && seen.push(s.frame.stepIndex));
    clock.load(tl, { autoplay: true });
    expect(clock.getState().playing).toBe(true);
    while (queue.length) {
      now += 16;
      queue.shift()!(now);
    }
    expect(clock.getState()).toMatchObject({ playing: false, frame: { done: true } });
    expect(new Set(seen)).toEqual(new Set(rest[0]!.steps.map((_s, i) => i)));
    clock.home();
    clock.step(1);
    clock.step(1);
    expect(clock.getState().frame!.stepIndex).toBe(2);
    const there = clock.getState().frame;
    clock.step(1);
    clock.step(-1);
    expect(clock.getState().frame).toEqual(there);
    clock.setSpeed(4);
    clock.play();
    now += 16;
    queue.shift()!(now);
    expect(clock.getState().frame!.t).toBeCloseTo(there!.t + 64);
  });
});

describe('the inspector', () => {
  it('lists what a step changed', () => {
    const changes = diffSnapshots(
      { methodRequest: { headers: { A: ['1'] }, body: '{}' }, stageVariables: {} },
      { methodRequest: { headers: { A: ['1'], B: ['2'] }, body: '{"x":1}' }, stageVariables: {}, integrationRequest: { uri: 'mock://' } },
    );
    expect(changes).toEqual([
      { path: ['methodRequest', 'headers', 'B'], kind: 'added', after: ['2'] },
      { path: ['methodRequest', 'body'], kind: 'changed', before: '{}', after: '{"x":1}' },
      { path: ['integrationRequest'], kind: 'added', after: { uri: 'mock://' } },
    ]);
    expect(formatValue(['a', 'b'])).toBe('a, b');
    expect(formatValue('x'.repeat(500), 10)).toMatch(/^x{10}… \(490 more characters\)$/);
  });

  it('finds the execution-log lines each step wrote', () => {
    const trace = authz.find((t) => t.response.statusCode === 200)!;
    const owners = logLineOwners(trace);
    const authorizer = trace.steps.findIndex((s) => s.step === 'authorizer');
    const lines = trace.executionLog.filter((_l, i) => owners[i] === authorizer);
    expect(lines.length).toBe(trace.steps[authorizer]!.log.length);
    expect(messageOf(lines[0]!)).toMatch(/^Starting authorizer/);
    const httpOwners = logLineOwners(http[0]!);
    expect(httpOwners.filter((o) => o >= 0).length).toBeGreaterThan(3);
  });
});

describe('what the boxes say', () => {
  it('names the integration from the route the engine matched', () => {
    expect(integrationKind(rest[0]!)).toEqual({ label: 'Mock', target: 'no backend' });
    expect(integrationKind(authz.find((t) => t.response.statusCode === 200)!)).toEqual({ label: 'Lambda', target: 'whoami' });
    expect(integrationKind(authz[0]!).label).toBe('Lambda'); // stopped before it, but the route knows
  });
  it('keeps notes short and labels on two lines at most', () => {
    for (const t of [...rest, ...authz, ...http]) for (const s of t.steps) expect(stepNote(s, t).length, `${s.step}: ${stepNote(s, t)}`).toBeLessThanOrEqual(30);
    expect(wrapLabel('Integration response')).toEqual(['Integration', 'response']);
    expect(wrapLabel('Route')).toEqual(['Route']);
  });
  it('matches a prediction to the answer it starts', () => {
    expect(choiceMatches('500 with {"message":null}', '500 with {"message":null}. Only the exact message …')).toBe(true);
    expect(choiceMatches('401 Unauthorized', '500 with {"message":null}. Only …')).toBe(false);
  });
});

describe('the library', () => {
  const s = (over: Partial<ScenarioSummary>): ScenarioSummary => ({
    ref: 'bundled:x', source: 'bundled', kind: 'scenario', fileName: 'x.yaml', id: 'x', title: 'X', teaches: [], gateways: ['REST'], stepCount: 1, ...over,
  });
  it('searches every word in title, topic and teaches, and filters by type and level', () => {
    const a = s({ title: 'Who said no?', topic: 'access-control', level: 'intermediate', teaches: ['A Deny policy gives 403'] });
    expect(matches(a, { ...NO_FILTER, query: 'deny 403' })).toBe(true);
    expect(matches(a, { ...NO_FILTER, query: 'deny 404' })).toBe(false);
    expect(matches(a, { ...NO_FILTER, gateway: 'HTTP' })).toBe(false);
    expect(matches(a, { ...NO_FILTER, level: 'intermediate', topic: 'access-control' })).toBe(true);
  });
  it('groups by gateway type, comparisons apart, beginners first', () => {
    const list = [s({ ref: '1', title: 'B', level: 'advanced' }), s({ ref: '2', title: 'A', level: 'beginner' }), s({ ref: '3', gateways: ['REST', 'HTTP'] }), s({ ref: '4', gateways: ['HTTP'] })];
    const sections = librarySections(list, NO_FILTER);
    expect(sections.map((x) => x.id)).toEqual(['REST', 'HTTP', 'COMPARE']);
    expect(sections[0]!.scenarios.map((x) => x.ref)).toEqual(['2', '1']);
  });
});

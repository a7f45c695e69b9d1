/**
 * frameAt(timeline, t): everything the player shows at playback time t, as a pure function. The
 * clock only moves t; stepping, scrubbing and jumping are all "set t", so stepping back gives
 * exactly the frame that was shown on the way forward.
 */
import type { Point } from '../diagram/geometry';
import { pointOnEdge } from '../diagram/geometry';
import { laneOrder } from '../diagram/layouts';
import type { StepTone, Timeline } from './timeline';

export type NodeState = 'idle' | 'passed' | 'current' | 'skipped' | 'stopped' | 'shortcut' | 'error' | 'unreached' | 'bypassed';

export interface Frame {
  readonly t: number;
  /**
   * The highlighted step: the last one whose box the packet has reached (index into
   * trace.steps), or -1 before the first. Stays on the last step once the response is back.
   */
  readonly stepIndex: number;
  /** The packet is back at the client: the response is delivered. */
  readonly done: boolean;
  readonly packet: {
    readonly at: Point;
    readonly moving: boolean;
    /** normal until the request is stopped; then the colour of what it carries back. */
    readonly tone: 'request' | 'response' | 'rejected' | 'shortcut';
  };
}

/** Ease the packet in and out of each box (cubic), so it glides rather than slides. */
function ease(u: number): number {
  return u < 0.5 ? 4 * u * u * u : 1 - Math.pow(-2 * u + 2, 3) / 2;
}

export function clampTime(timeline: Timeline, t: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.min(timeline.duration, Math.max(0, t));
}

/** The segment playing at t: the last one that has started. */
export function segmentAt(timeline: Timeline, t: number): number {
  const segs = timeline.segments;
  let lo = 0;
  let hi = segs.length - 1;
  // Binary search: the frame function runs every animation frame.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid]!.start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function frameAt(timeline: Timeline, time: number): Frame {
  const t = clampTime(timeline, time);
  const steps = timeline.trace.steps.length;
  const si = segmentAt(timeline, t);
  const seg = timeline.segments[si]!;
  const arrived = t >= seg.arrive;
  // Before reaching its box, the previous step stays highlighted.
  let stepIndex = arrived ? seg.index : seg.index - 1;
  const done = seg.index === steps && arrived;
  if (stepIndex >= steps) stepIndex = steps - 1;

  let at: Point;
  if (arrived || !seg.edge) {
    at = seg.rest;
  } else {
    const u = (t - seg.start) / Math.max(1, seg.arrive - seg.start);
    at = pointOnEdge(seg.edge, ease(u));
  }
  const stopped = timeline.stoppedIndex >= 0 && (stepIndex > timeline.stoppedIndex || (stepIndex === timeline.stoppedIndex && arrived));
  const tone = stopped && timeline.stopTone ? timeline.stopTone : seg.direction;
  return { t, stepIndex, done, packet: { at, moving: !arrived && !!seg.edge, tone } };
}

/**
 * Each box's state when step `stepIndex` is highlighted: a function of the step alone, so the
 * diagram re-renders only when the step changes, never per animation frame.
 */
export function nodeStates(timeline: Timeline, stepIndex: number, done: boolean): ReadonlyMap<string, NodeState> {
  const states = new Map<string, NodeState>();
  const rank: Record<NodeState, number> = { idle: 0, unreached: 0, bypassed: 0, skipped: 1, passed: 2, shortcut: 3, error: 4, stopped: 5, current: 6 };
  const put = (id: string, s: NodeState) => {
    const prev = states.get(id);
    if (!prev || rank[s] >= rank[prev]) states.set(id, s);
  };
  timeline.segments.forEach((seg) => {
    if (seg.index >= timeline.trace.steps.length) return;
    if (seg.index > stepIndex) return;
    put(seg.nodeId, toneState(seg.tone));
  });
  const current = timeline.segments[stepIndex];
  if (current && !done) put(current.nodeId, current.tone === 'stopped' || current.tone === 'error' ? toneState(current.tone) : 'current');
  if (done) states.set('client', 'passed');
  // Boxes this request went by without a step there (a step this API does not have) are dimmed
  // once the packet is past them.
  const order = laneOrder(timeline.layout);
  let furthest = -1;
  for (const seg of timeline.segments) if (seg.index <= stepIndex) furthest = Math.max(furthest, order.lastIndexOf(seg.nodeId) >= 0 && seg.nodeId !== 'client' ? order.indexOf(seg.nodeId) : -1);
  const visitedAll = new Set(timeline.segments.map((s) => s.nodeId));
  order.forEach((id, i) => {
    if (i < furthest && !visitedAll.has(id) && !states.has(id)) states.set(id, 'bypassed');
  });
  // Once the response is delivered, every box it did without (the gateway response of a request
  // that went through) is dimmed too.
  if (done) for (const n of timeline.layout.nodes) if (!visitedAll.has(n.id) && !states.has(n.id)) states.set(n.id, 'bypassed');
  // Boxes after the stop that the request never reached are hatched once it has stopped.
  const stoppedShown = timeline.stoppedIndex >= 0 && stepIndex >= timeline.stoppedIndex;
  if (stoppedShown) {
    const stopAt = order.indexOf(timeline.segments[timeline.stoppedIndex]!.nodeId);
    for (const n of timeline.layout.nodes) {
      if (visitedAll.has(n.id)) continue;
      const at = order.indexOf(n.id);
      if (at < 0 || at > stopAt) states.set(n.id, 'unreached');
    }
  }
  return states;
}

function toneState(t: StepTone): NodeState {
  return t;
}

/** The playback time of the next / previous step's arrival from t (for → and ←). */
export function stepTarget(timeline: Timeline, t: number, direction: 1 | -1): number {
  const arrivals = timeline.segments.map((s) => s.arrive);
  if (direction > 0) {
    const next = arrivals.find((a) => a > t + 0.5);
    return next ?? timeline.duration;
  }
  let prev = 0;
  for (const a of arrivals) if (a < t - 0.5) prev = a;
  return prev;
}

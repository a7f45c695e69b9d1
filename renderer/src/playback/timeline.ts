/**
 * A trace laid out in playback time. Every step gets a travel (the packet moves from the box of
 * the step before to its own box) and a dwell (it rests there while the step is read); the last
 * segment brings the response back to the client. Playback time is display time, not the
 * trace's virtual milliseconds: a 0 ms routing step still needs a moment on screen. Longer steps
 * (a Lambda cold start) dwell a little longer, so the picture keeps their proportion roughly.
 */
import type { Trace, TraceStep } from '../../../engine/trace/types';
import { type Edge, type Point, edgeBetween } from '../diagram/geometry';
import { type DiagramLayout, anchor, nodeById, nodeForStep } from '../diagram/layouts';

/** How a step ended the request, as the picture shows it. */
export type StepTone = 'passed' | 'skipped' | 'stopped' | 'shortcut' | 'error';

export interface Segment {
  /** Index into trace.steps; steps.length for the final return to the client. */
  readonly index: number;
  readonly nodeId: string;
  readonly start: number;
  /** When the packet reaches the box: the moment "step to here" shows. */
  readonly arrive: number;
  readonly end: number;
  readonly edge: Edge | null;
  /** Where the packet rests during this segment (a skipped step leaves it where it was). */
  readonly rest: Point;
  readonly tone: StepTone;
  /** Which lane the packet travels on: before the backend it carries the request, after it the response. */
  readonly direction: 'request' | 'response';
}

export interface Timeline {
  readonly trace: Trace;
  readonly layout: DiagramLayout;
  readonly segments: readonly Segment[];
  readonly duration: number;
  /** The step that ended the request early, if any (index into trace.steps). */
  readonly stoppedIndex: number;
  /** The packet's colour after the stop: an error on its way back, or a short cut (cache hit, preflight). */
  readonly stopTone: 'rejected' | 'shortcut' | null;
}

export const TIMING = {
  travel: 420,
  dwell: 640,
  skippedDwell: 220,
  returnTravel: 560,
  returnDwell: 0,
};

export function stepTone(trace: Trace, step: TraceStep, index: number, stoppedIndex: number): StepTone {
  if (step.outcome === 'skip') return 'skipped';
  // A stage-cache hit answers from the cache: a short cut, though the request goes on.
  if (step.detail?.status === 'hit' && step.phase === 'cache') return 'shortcut';
  if (step.outcome === 'error') return 'error';
  if (index === stoppedIndex) return trace.gatewayResponse ? 'stopped' : 'shortcut';
  return 'passed';
}

/** The index of the step that ended the request: the trace names it; else the first `respond`. */
export function stoppedIndexOf(trace: Trace): number {
  if (trace.stoppedAt) {
    const i = trace.steps.findIndex((s) => s.step === trace.stoppedAt && s.outcome === 'respond');
    if (i >= 0) return i;
    const j = trace.steps.findIndex((s) => s.step === trace.stoppedAt);
    if (j >= 0) return j;
  }
  return -1;
}

function dwellFor(step: TraceStep): number {
  // A little more time for steps that took long in the simulation (log scale: 200 ms → +360 ms).
  return TIMING.dwell + Math.min(600, 60 * Math.log2(1 + Math.max(0, step.durationMs)));
}

export function buildTimeline(trace: Trace, layout: DiagramLayout): Timeline {
  const stoppedIndex = stoppedIndexOf(trace);
  const segments: Segment[] = [];
  let t = 0;
  let direction: 'request' | 'response' = 'request';
  let at: Point | null = null;
  let atKind: string | null = null;
  const first = trace.steps[0] ? nodeById(layout, nodeForStep(layout, trace.steps[0])) : undefined;
  // A management call (@connections) starts at the backend side; everything else at the client.
  if (first?.kind !== 'service') at = anchor(nodeById(layout, 'client')!, 'request', layout.rows);

  trace.steps.forEach((step, index) => {
    const nodeId = nodeForStep(layout, step);
    const node = nodeById(layout, nodeId)!;
    if (node.kind === 'backend' || node.lane === 'response' || node.kind === 'gatewayResponse') direction = 'response';
    // The backend is where the request turns into a response: it rests there on the way in.
    const lane = node.kind === 'client' ? (index === 0 ? 'request' : 'response') : node.lane;
    const skipped = step.outcome === 'skip';
    // A skipped step does not move the packet: the request passes its box by (a cache hit never
    // reaches the backend, a request without CORS goes straight past the preflight box).
    const point = skipped && at ? at : anchor(node, lane, layout.rows);
    const travel = at && !samePoint(at, point) ? TIMING.travel : 0;
    const dwell = skipped ? TIMING.skippedDwell : dwellFor(step);
    const edge = at && travel > 0 ? edgeBetween(at, point, orientFor(atKind, node.kind)) : null;
    segments.push({ index, nodeId, start: t, arrive: t + travel, end: t + travel + dwell, edge, rest: point, tone: stepTone(trace, step, index, stoppedIndex), direction: index === 0 ? 'request' : direction });
    if (node.kind === 'backend' && !skipped) direction = 'response';
    t += travel + dwell;
    if (!skipped || !at) {
      at = point;
      atKind = node.kind;
    }
  });

  // The response travels back to the client (unless the last step already put it there).
  const client = anchor(nodeById(layout, 'client')!, 'response', layout.rows);
  const travel = at && !samePoint(at, client) ? TIMING.returnTravel : 0;
  segments.push({
    index: trace.steps.length,
    nodeId: 'client',
    start: t,
    arrive: t + travel,
    end: t + travel + TIMING.returnDwell,
    edge: at && travel > 0 ? edgeBetween(at, client, orientFor(atKind, 'client')) : null,
    rest: client,
    tone: 'passed',
    direction: 'response',
  });
  t += travel + TIMING.returnDwell;

  const stopTone = stoppedIndex < 0 ? null : trace.gatewayResponse ? 'rejected' : 'shortcut';
  return { trace, layout, segments, duration: t, stoppedIndex, stopTone };
}

function samePoint(a: Point, b: Point): boolean {
  return Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5;
}

function orientFor(fromKind: string | null, toKind: string): 'horizontal' | 'vertical' {
  // Into and out of the gateway-response box the packet drops vertically: it leaves the lane.
  return fromKind === 'gatewayResponse' || toKind === 'gatewayResponse' ? 'vertical' : 'horizontal';
}

/** When the packet rests on step `i`'s box (i = steps.length: back at the client). */
export function arrivalOf(timeline: Timeline, i: number): number {
  const s = timeline.segments[Math.max(0, Math.min(i, timeline.segments.length - 1))];
  return s ? s.arrive : 0;
}

/**
 * The lifecycle diagram: boxes, rails and the path the request took, rendered by React as SVG
 * from the layout (d3 did the maths). The boxes' states follow the highlighted step only, so
 * this re-renders when the step changes; the packet moves every frame without React (Packet).
 */
import { memo, useCallback, useMemo } from 'react';
import type { TraceStep } from '../../../engine/trace/types';
import { type NodeState, nodeStates } from '../playback/frame';
import type { Timeline } from '../playback/timeline';
import { useClock, usePlaybackClock } from '../playback/use-clock';
import { edgeBetween, edgePath } from './geometry';
import { type DiagramLayout, type DiagramNode, anchor, nodeById } from './layouts';
import { Packet } from './Packet';
import { integrationKind, stepName, stepNote, wrapLabel } from './step-facts';

const STATE_WORDS: Record<NodeState, string> = {
  idle: 'not reached yet',
  unreached: 'not reached: the request stopped earlier',
  bypassed: 'not part of this request',
  passed: 'passed',
  current: 'current step',
  skipped: 'skipped: does not apply to this request',
  stopped: 'stopped the request here',
  shortcut: 'answered the request here',
  error: 'simulator error',
};

export function LifecycleDiagram({ timeline }: { timeline: Timeline }) {
  const stepIndex = useClock((s) => s.frame?.stepIndex ?? -1);
  const done = useClock((s) => s.frame?.done ?? false);
  return <DiagramAtStep timeline={timeline} stepIndex={stepIndex} done={done} />;
}

const DiagramAtStep = memo(function DiagramAtStep({ timeline, stepIndex, done }: { timeline: Timeline; stepIndex: number; done: boolean }) {
  const clock = usePlaybackClock();
  const { layout, trace } = timeline;
  const states = useMemo(() => nodeStates(timeline, stepIndex, done), [timeline, stepIndex, done]);
  const type = trace.api.type;

  // The latest step (up to the highlighted one) on each box, for its note.
  const stepOnNode = useMemo(() => {
    const m = new Map<string, TraceStep>();
    for (const seg of timeline.segments) if (seg.index <= stepIndex && seg.index < trace.steps.length) m.set(seg.nodeId, trace.steps[seg.index]!);
    return m;
  }, [timeline, stepIndex, trace]);
  const firstSegment = useMemo(() => {
    const m = new Map<string, number>();
    for (const seg of timeline.segments) if (seg.index < trace.steps.length && !m.has(seg.nodeId)) m.set(seg.nodeId, seg.index);
    return m;
  }, [timeline, trace]);

  const integration = useMemo(() => integrationKind(trace), [trace]);
  const routeReached = stepIndex >= trace.steps.findIndex((s) => s.step === 'route' || s.step === 'routeSelection');
  const onSelect = useCallback((id: string) => {
    const i = firstSegment.get(id);
    if (i !== undefined) clock.goToStep(i);
  }, [clock, firstSegment]);

  const trail = timeline.segments.filter((s) => s.edge && (s.index <= stepIndex || (done && s.index === trace.steps.length)));
  // WebSocket: frames the backend pushed through @connections while its integration ran.
  const pushes = trace.websocket?.serviceCalls?.filter((c) => c.service === 'execute-api') ?? [];
  const integrationAt = trace.steps.findIndex((s) => s.step === 'integration');
  const pushed = pushes.length > 0 && integrationAt >= 0 && stepIndex >= integrationAt && nodeById(layout, 'connections') !== undefined;
  const stopped = timeline.stoppedIndex;

  return (
    <svg
      className={`diagram type-${type.toLowerCase()}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      preserveAspectRatio="xMidYMid meet"
      role="group"
      aria-label={`${type === 'WEBSOCKET' ? 'WebSocket' : type} API request lifecycle`}
    >
      <defs>
        <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <path d="M0 0v6" className="hatch-line" />
        </pattern>
      </defs>
      {layout.groups.map((g) => (
        <g key={g.id} className="group">
          <rect x={g.x} y={g.y} width={g.w} height={g.h} rx={10} />
          <text x={g.x + 9} y={g.y + 14}>
            {g.label}
          </text>
        </g>
      ))}
      <Rails layout={layout} />
      <g className="trail">
        {trail.map((s) => (
          <path
            key={s.index}
            d={edgePath(s.edge!)}
            className={`trail-edge tone-${stopped >= 0 && s.index > stopped ? timeline.stopTone : s.direction}`}
          />
        ))}
        {pushed && <PushTrail layout={layout} />}
      </g>
      {layout.nodes.map((n) => {
        const step = stepOnNode.get(n.id);
        const state = states.get(n.id) ?? 'idle';
        let note = step ? stepNote(step, trace) : '';
        let label = n.label;
        if (n.kind === 'backend') {
          label = routeReached ? integration.label : 'Integration';
          note = routeReached ? (integration.target ?? '') : '';
        }
        if (n.kind === 'client') note = done ? `${trace.response.statusCode}` : (trace.websocket?.client ?? '');
        let nodeState = state;
        if (n.id === 'connections' && pushed) {
          nodeState = 'passed';
          note = `${pushes.length} call${pushes.length === 1 ? '' : 's'}${pushes.some((c) => c.statusCode === 410) ? ' · 410' : ''}`;
        }
        if (n.kind === 'gatewayResponse' && !step) note = state === 'unreached' ? 'not used' : '';
        return (
          <NodeBox
            key={n.id}
            node={n}
            label={label}
            note={note}
            state={nodeState}
            clickable={firstSegment.has(n.id)}
            title={step ? `${stepName(step, type)}: ${STATE_WORDS[state]}` : `${n.label}: ${STATE_WORDS[state]}`}
            onSelect={onSelect}
          />
        );
      })}
      <Packet />
    </svg>
  );
});

/** Backend → @connections → the clients: the fan-out of PostToConnection calls. */
function PushTrail({ layout }: { layout: DiagramLayout }) {
  const service = nodeById(layout, 'connections')!;
  const backend = nodeById(layout, 'backend')!;
  const client = nodeById(layout, 'client')!;
  const a = anchor(backend, 'middle', layout.rows);
  const b = { x: service.x + service.w / 2, y: service.y };
  const c = { x: service.x, y: service.y + service.h / 2 };
  const d = anchor(client, 'response', layout.rows);
  return (
    <>
      <path d={edgePath(edgeBetween(a, b))} className="trail-edge tone-shortcut push" />
      <path d={edgePath(edgeBetween(c, d, 'vertical'))} className="trail-edge tone-shortcut push" />
    </>
  );
}

const Rails = memo(function Rails({ layout }: { layout: DiagramLayout }) {
  return (
    <g className="rails" aria-hidden="true">
      {layout.rails.map(([a, b, style], i) => {
        const from = nodeById(layout, a);
        const to = nodeById(layout, b);
        if (!from || !to) return null;
        const pa = anchor(from, from.kind === 'client' ? 'request' : from.lane, layout.rows);
        const pb = anchor(to, to.kind === 'client' ? 'response' : to.lane, layout.rows);
        return <path key={i} d={edgePath(edgeBetween(pa, pb))} className={`rail ${style}`} />;
      })}
    </g>
  );
});

interface NodeBoxProps {
  readonly node: DiagramNode;
  readonly label: string;
  readonly note: string;
  readonly state: NodeState;
  readonly clickable: boolean;
  readonly title: string;
  onSelect(id: string): void;
}

const NodeBox = memo(function NodeBox({ node: n, label, note, state, clickable, title, onSelect }: NodeBoxProps) {
  const tall = n.kind === 'client' || n.kind === 'backend';
  const lines = tall ? wrapLabel(label, 9) : wrapLabel(label, n.kind === 'gatewayResponse' || n.kind === 'service' ? 22 : 12);
  const x = n.x - n.w / 2;
  const y = n.y - n.h / 2;
  const interactive = clickable
    ? {
        role: 'button',
        tabIndex: 0,
        'aria-label': title,
        onClick: () => onSelect(n.id),
        onKeyDown: (e: React.KeyboardEvent) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            e.stopPropagation();
            onSelect(n.id);
          }
        },
      }
    : { 'aria-hidden': true as const };
  const top = tall ? n.y - 14 : n.y - (lines.length - 1) * 7 - (note ? 6 : 0);
  return (
    <g className={`node kind-${n.kind} state-${state}${clickable ? ' clickable' : ''}`} {...interactive}>
      <title>{`${title}. ${n.hint}`}</title>
      <rect className="box" x={x} y={y} width={n.w} height={n.h} rx={n.kind === 'gatewayResponse' ? 23 : 9} />
      {state === 'unreached' && <rect className="hatch" x={x} y={y} width={n.w} height={n.h} rx={9} />}
      {lines.map((line, i) => (
        <text key={i} className="label" x={n.x} y={top + i * 14} textAnchor="middle" dominantBaseline="middle">
          {line}
        </text>
      ))}
      {note && (
        <text className="note" x={n.x} y={tall ? n.y + 12 : top + lines.length * 14 - 1} textAnchor="middle" dominantBaseline="middle">
          {note}
        </text>
      )}
      <StateBadge node={n} state={state} />
    </g>
  );
});

function StateBadge({ node: n, state }: { node: DiagramNode; state: NodeState }) {
  // The client and the gateway-response box carry no tick: the response they hold is the story.
  if (!['passed', 'skipped', 'stopped', 'shortcut', 'error'].includes(state) || n.kind === 'client' || n.kind === 'gatewayResponse') return null;
  const cx = n.x + n.w / 2 - 2;
  const cy = n.y - n.h / 2 + 2;
  const glyph: Record<string, string> = {
    passed: 'M-3.2 0.2l2.2 2.2 4.2-4.6',
    skipped: 'M-3.2 0h6.4',
    stopped: 'M-3 -3l6 6M3 -3l-6 6',
    error: 'M0 -3.5v4M0 3.2v0.3',
    shortcut: 'M3 -2.5h-4a2.5 2.5 0 0 0 0 5h2M-1 -5l-2.5 2.5 2.5 2.5',
  };
  return (
    <g className={`badge badge-${state}`} transform={`translate(${cx} ${cy})`} aria-hidden="true">
      <circle r={state === 'stopped' ? 10 : 8} />
      <path d={glyph[state]} />
    </g>
  );
}

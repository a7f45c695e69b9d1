/**
 * The selected trace as a timeline, loaded into the playback clock when the selection changes:
 * a new trace plays from its start; an old one picked again rests at its end.
 */
import { useEffect, useMemo } from 'react';
import type { GatewayType, TraceStep } from '../../../engine/trace/types';
import { layoutFor } from '../diagram/layouts';
import { buildTimeline, type Timeline } from '../playback/timeline';
import { usePlaybackClock } from '../playback/use-clock';
import { useApp } from '../store';
import type { TraceEntry } from '../store/types';

export function useSelectedEntry(): TraceEntry | null {
  const entries = useApp((s) => s.entries);
  const key = useApp((s) => s.selection?.key);
  return useMemo(() => entries.find((e) => e.key === key) ?? null, [entries, key]);
}

/** One layout per gateway type for the whole session, so boxes never move between traces. */
function useSessionLayout(type: GatewayType) {
  const entries = useApp((s) => s.entries);
  // The kinds of steps seen so far, as a string: the layout changes only when a new kind appears.
  const kinds = useMemo(() => {
    const set = new Set<string>();
    for (const e of entries) if (e.gateway === type) for (const s of e.trace.steps) set.add(`${s.step}|${s.phase}`);
    return [...set].sort().join(',');
  }, [entries, type]);
  return useMemo(() => {
    const steps = kinds ? kinds.split(',').map((k) => ({ step: k.split('|')[0]!, phase: k.split('|')[1] as TraceStep['phase'] })) : [];
    return layoutFor(type, steps);
  }, [kinds, type]);
}

export function useTimelineLoader(): Timeline | null {
  const clock = usePlaybackClock();
  const entry = useSelectedEntry();
  const selection = useApp((s) => s.selection);
  const session = useApp((s) => s.session);
  const type: GatewayType = entry?.gateway ?? session?.scenario.gateways[0] ?? 'REST';
  const layout = useSessionLayout(type);
  const timeline = useMemo(() => (entry ? buildTimeline(entry.trace, layout) : null), [entry, layout]);

  useEffect(() => {
    if (!timeline) {
      clock.load(null);
      return;
    }
    const current = clock.getState().frame;
    const sameTrace = clock.getState().timeline?.trace === timeline.trace;
    if (sameTrace && current) {
      // The layout grew (a new kind of step elsewhere): keep the place.
      clock.load(timeline, { at: current.t });
      return;
    }
    clock.load(timeline, selection?.play ? { autoplay: true } : { at: timeline.duration });
    // The nonce makes picking the same trace again restart it.
  }, [clock, timeline, selection?.nonce]); // eslint-disable-line react-hooks/exhaustive-deps
  return timeline;
}

/**
 * The request packet. It moves on every animation frame by writing its transform straight to
 * the DOM from the clock's subscription; React renders it once. Its colour says what it carries:
 * the request, the response, an error on its way back, or a short cut (a cache hit, a preflight).
 */
import { useCallback, useRef } from 'react';
import type { ClockState } from '../playback/clock';
import { useClockFrames } from '../playback/use-clock';

export function Packet() {
  const ref = useRef<SVGGElement>(null);
  const last = useRef({ x: NaN, y: NaN, cls: '' });
  const onFrame = useCallback((s: ClockState) => {
    const g = ref.current;
    if (!g) return;
    const f = s.frame;
    // It pulses only while paused on a box: a pulse repaints every frame, and playback needs them.
    const cls = f ? `packet tone-${f.packet.tone}${f.packet.moving ? ' moving' : ''}${f.done ? ' done' : ''}${s.playing ? '' : ' paused'}` : 'packet hidden';
    if (cls !== last.current.cls) {
      g.setAttribute('class', cls);
      last.current.cls = cls;
    }
    if (!f) return;
    const { x, y } = f.packet.at;
    if (x === last.current.x && y === last.current.y) return;
    g.setAttribute('transform', `translate(${x.toFixed(2)} ${y.toFixed(2)})`);
    last.current.x = x;
    last.current.y = y;
  }, []);
  useClockFrames(onFrame);
  return (
    <g ref={ref} className="packet hidden" aria-hidden="true">
      <circle className="halo" r={15} />
      <circle className="core" r={8} />
      <circle className="shine" r={3} cx={-2.5} cy={-2.5} />
    </g>
  );
}

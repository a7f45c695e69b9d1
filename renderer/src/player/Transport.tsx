/**
 * Playback controls: start, step back, play/pause, step forward, end; the timeline (a range the
 * clock moves every frame without React, with a mark per step); the speed.
 */
import { useCallback, useRef } from 'react';
import { stepName } from '../diagram/step-facts';
import { SPEEDS, type ClockState } from '../playback/clock';
import type { Timeline } from '../playback/timeline';
import { useClock, useClockFrames, usePlaybackClock } from '../playback/use-clock';
import { EndIcon, HomeIcon, PauseIcon, PlayIcon, StepBackIcon, StepForwardIcon } from '../ui/icons';

export function Transport({ timeline }: { timeline: Timeline | null }) {
  const clock = usePlaybackClock();
  const playing = useClock((s) => s.playing);
  const speed = useClock((s) => s.speed);
  const stepIndex = useClock((s) => s.frame?.stepIndex ?? -1);
  const done = useClock((s) => s.frame?.done ?? false);
  const disabled = !timeline;
  const steps = timeline?.trace.steps ?? [];
  const current = steps[stepIndex];

  return (
    <div className="transport" role="toolbar" aria-label="Playback">
      <div className="buttons">
        <button type="button" className="icon-button" aria-label="Go to start" title="Go to start (Home)" disabled={disabled} onClick={() => clock.home()}>
          <HomeIcon />
        </button>
        <button type="button" className="icon-button" aria-label="Step back" title="Step back (←)" disabled={disabled} onClick={() => clock.step(-1)}>
          <StepBackIcon />
        </button>
        <button type="button" className="icon-button play" aria-label={playing ? 'Pause' : 'Play'} title={playing ? 'Pause (space)' : 'Play (space)'} disabled={disabled} onClick={() => clock.toggle()}>
          {playing ? <PauseIcon /> : <PlayIcon />}
        </button>
        <button type="button" className="icon-button" aria-label="Step forward" title="Step forward (→)" disabled={disabled} onClick={() => clock.step(1)}>
          <StepForwardIcon />
        </button>
        <button type="button" className="icon-button" aria-label="Go to end" title="Go to end (End)" disabled={disabled} onClick={() => clock.end()}>
          <EndIcon />
        </button>
      </div>
      <Scrubber timeline={timeline} />
      <span className="position" aria-live="polite">
        {timeline && current ? (done ? `Response delivered · ${steps.length} steps` : `Step ${stepIndex + 1} of ${steps.length} · ${stepName(current, timeline.trace.api.type)}`) : '—'}
      </span>
      <label className="speed">
        <span className="muted small">Speed</span>
        <select aria-label="Speed" value={speed} onChange={(e) => clock.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Scrubber({ timeline }: { timeline: Timeline | null }) {
  const clock = usePlaybackClock();
  const input = useRef<HTMLInputElement>(null);
  const fill = useRef<HTMLDivElement>(null);
  const onFrame = useCallback((s: ClockState) => {
    const t = s.frame?.t ?? 0;
    const d = s.timeline?.duration ?? 1;
    const el = input.current;
    if (el && document.activeElement !== el) el.value = String(t);
    if (fill.current) fill.current.style.transform = `scaleX(${d > 0 ? t / d : 0})`;
  }, []);
  useClockFrames(onFrame);
  const duration = timeline?.duration ?? 1;
  return (
    <div className="scrubber">
      <div className="track" aria-hidden="true">
        <div className="fill" ref={fill} />
        {timeline?.segments.slice(0, -1).map((s) => (
          <span key={s.index} className={`tick tone-${s.tone}`} style={{ left: `${(s.arrive / duration) * 100}%` }} />
        ))}
      </div>
      <input
        ref={input}
        type="range"
        aria-label="Timeline"
        min={0}
        max={duration}
        step="any"
        defaultValue={0}
        disabled={!timeline}
        onInput={(e) => {
          clock.pause();
          clock.seek(Number((e.target as HTMLInputElement).value));
        }}
      />
    </div>
  );
}

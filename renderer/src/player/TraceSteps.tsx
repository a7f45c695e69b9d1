/**
 * The trace's steps in a row, the highlighted one marked: a click jumps there. Skipped steps are
 * quiet; the step that stopped the request is red (or teal when it answered from a short cut).
 */
import { useEffect, useRef } from 'react';
import { stepName, stepShortName } from '../diagram/step-facts';
import type { Timeline } from '../playback/timeline';
import { useClock, usePlaybackClock } from '../playback/use-clock';

const OUTCOME_WORDS: Record<string, string> = { passed: 'passed', skipped: 'skipped', stopped: 'stopped the request', shortcut: 'answered the request', error: 'simulator error' };

export function TraceSteps({ timeline }: { timeline: Timeline | null }) {
  const clock = usePlaybackClock();
  const stepIndex = useClock((s) => s.frame?.stepIndex ?? -1);
  const row = useRef<HTMLOListElement>(null);
  // Keep the highlighted step's chip in view when the row is wider than the stage.
  useEffect(() => {
    const list = row.current;
    const chip = list?.querySelector<HTMLElement>('[aria-current="step"]');
    if (!list || !chip) return;
    const left = chip.offsetLeft - list.offsetLeft;
    const fitsFromStart = left + chip.offsetWidth <= list.clientWidth - 8;
    if (fitsFromStart) list.scrollLeft = 0;
    else if (left < list.scrollLeft || left + chip.offsetWidth > list.scrollLeft + list.clientWidth) list.scrollLeft = Math.max(0, left - 40);
  }, [stepIndex, timeline]);
  if (!timeline) return <div className="trace-steps-row" />;
  const type = timeline.trace.api.type;
  return (
    <ol ref={row} className="trace-steps-row" aria-label="Trace steps">
      {timeline.trace.steps.map((s, i) => {
        const tone = timeline.segments[i]!.tone;
        const reached = i <= stepIndex;
        const after = timeline.stoppedIndex >= 0 && i > timeline.stoppedIndex && timeline.stopTone ? ` after-${timeline.stopTone}` : '';
        return (
          <li key={i} className={`trace-step tone-${tone}${reached ? ' reached' : ''}${after}`} aria-current={i === stepIndex ? 'step' : undefined}>
            <button type="button" data-step={s.step} onClick={() => clock.goToStep(i)} title={`${s.step}: ${s.summary}`}>
              <span className="dot" aria-hidden="true" />
              <span className="name">{stepShortName(s, type)}</span>
              <span className="visually-hidden">
                {' '}
                ({stepName(s, type)}, {OUTCOME_WORDS[tone]})
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The trace's steps in a row, the highlighted one marked: a click jumps there. Skipped steps are
 * quiet; the step that stopped the request is red (or teal when it answered from a short cut).
 */
import { stepName } from '../diagram/step-facts';
import type { Timeline } from '../playback/timeline';
import { useClock, usePlaybackClock } from '../playback/use-clock';

const OUTCOME_WORDS: Record<string, string> = { passed: 'passed', skipped: 'skipped', stopped: 'stopped the request', shortcut: 'answered the request', error: 'simulator error' };

export function TraceSteps({ timeline }: { timeline: Timeline | null }) {
  const clock = usePlaybackClock();
  const stepIndex = useClock((s) => s.frame?.stepIndex ?? -1);
  if (!timeline) return <div className="trace-steps-row" />;
  const type = timeline.trace.api.type;
  return (
    <ol className="trace-steps-row" aria-label="Trace steps">
      {timeline.trace.steps.map((s, i) => {
        const tone = timeline.segments[i]!.tone;
        const reached = i <= stepIndex;
        const after = timeline.stoppedIndex >= 0 && i > timeline.stoppedIndex && timeline.stopTone ? ` after-${timeline.stopTone}` : '';
        return (
          <li key={i} className={`trace-step tone-${tone}${reached ? ' reached' : ''}${after}`} aria-current={i === stepIndex ? 'step' : undefined}>
            <button type="button" data-step={s.step} onClick={() => clock.goToStep(i)} title={`${s.step}: ${s.summary}`}>
              <span className="dot" aria-hidden="true" />
              <span className="name">{stepName(s, type)}</span>
              <span className="visually-hidden"> ({OUTCOME_WORDS[tone]})</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

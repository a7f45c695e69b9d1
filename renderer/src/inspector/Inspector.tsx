/**
 * The step inspector: for the highlighted step, what happened in plain words, what the box does,
 * the scenario's narration, the step's own facts (template, policy, claims, buckets...), what it
 * changed in the request or response, and the execution-log lines it wrote. It follows the
 * clock's step through a deferred value, so a heavy step never holds up the animation.
 */
import { memo, useDeferredValue, useMemo, useState } from 'react';
import type { Trace } from '../../../engine/trace/types';
import { nodeById, nodeForStep } from '../diagram/layouts';
import { stepHint, stepName } from '../diagram/step-facts';
import type { Timeline } from '../playback/timeline';
import { useClock } from '../playback/use-clock';
import { useApp } from '../store';
import { PredictReveal } from '../player/PredictCard';
import { useSelectedEntry } from '../player/use-timeline';
import { ChangesView } from './ChangesView';
import { Code, DetailView, Fold, Section, WebSocketView, pretty } from './details';
import { duration } from '../format';

const TONE_WORDS: Record<string, string> = { passed: 'passed', skipped: 'skipped', stopped: 'stopped the request', shortcut: 'answered the request', error: 'simulator error' };

export function Inspector({ timeline }: { timeline: Timeline | null }) {
  const stepIndex = useClock((s) => s.frame?.stepIndex ?? -1);
  const done = useClock((s) => s.frame?.done ?? false);
  // Deferred together, so a stale step index never meets a newer trace.
  const view = useMemo(() => ({ timeline, stepIndex, done }), [timeline, stepIndex, done]);
  const shown = useDeferredValue(view);
  const ok = shown.timeline && shown.stepIndex >= 0 && shown.stepIndex < shown.timeline.trace.steps.length;
  return (
    <section className="inspector" aria-label="Step inspector">
      {ok ? <StepInspector timeline={shown.timeline!} stepIndex={shown.stepIndex} done={shown.done} /> : <p className="muted pad">Run a request to inspect its steps.</p>}
    </section>
  );
}

const StepInspector = memo(function StepInspector({ timeline, stepIndex, done }: { timeline: Timeline; stepIndex: number; done: boolean }) {
  const { trace } = timeline;
  const step = trace.steps[stepIndex]!;
  const seg = timeline.segments[stepIndex]!;
  const node = nodeById(timeline.layout, nodeForStep(timeline.layout, step));
  const type = trace.api.type;
  // The gateway-response step carries the error back: it reads as the gateway's answer, not a pass.
  const pill = node?.kind === 'gatewayResponse' && timeline.stopTone === 'rejected' ? 'answer' : seg.tone;
  return (
    <div className="insp-body" key={`${trace.id}:${stepIndex}`}>
      <PredictReveal />
      <header className={`insp-head tone-${seg.tone}`}>
        <span className={`outcome-pill tone-${pill}`}>{pill === 'answer' ? 'gateway’s answer' : TONE_WORDS[seg.tone]}</span>
        <h2>{stepName(step, type)}</h2>
        <span className="muted small">
          step {stepIndex + 1} of {trace.steps.length} · <code>{step.step}</code> · {duration(step.durationMs)}
        </span>
      </header>
      <p className="summary">{step.summary}</p>
      {(stepHint(step) ?? node?.hint) && <p className="hint muted">{stepHint(step) ?? node?.hint}</p>}
      <Narration />
      {seg.tone === 'stopped' && trace.gatewayResponse && (
        <p className="stop-callout" role="note">
          The request stops here. API Gateway answers with the <code>{trace.gatewayResponse.type}</code> gateway response:{' '}
          <strong>{trace.gatewayResponse.statusCode}</strong>.
        </p>
      )}
      <DetailView step={step} trace={trace} />
      <WebSocketView step={step} trace={trace} />
      <ChangesView before={step.before} after={step.after} />
      {step.log.length > 0 && (
        <Section title="Execution log lines from this step">
          <pre className="code log">{step.log.join('\n')}</pre>
        </Section>
      )}
      {done && stepIndex === trace.steps.length - 1 && <ResponseSummary trace={trace} />}
      {step.after && <Fold summary="Everything this step saw (snapshot after it)" render={() => <Code text={JSON.stringify(step.after, null, 2)} />} />}
    </div>
  );
});

/** The scenario's words for this request; three lines unless opened (the rail has it in full too). */
function Narration() {
  const entry = useSelectedEntry();
  const say = useApp((s) => (entry?.stepIndex !== undefined ? s.session?.steps.find((st) => st.index === entry.stepIndex)?.say : undefined));
  const [open, setOpen] = useState(false);
  if (!say) return null;
  const long = say.length > 240;
  return (
    <blockquote className={`narration${long && !open ? ' clamped' : ''}`}>
      <span className="eyebrow">From the scenario, step {entry?.stepIndex}</span>
      <span className="text">{say}</span>
      {long && (
        <button type="button" className="link small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Less' : 'More'}
        </button>
      )}
    </blockquote>
  );
}

function ResponseSummary({ trace }: { trace: Trace }) {
  return (
    <Section title="The response the client got">
      <p>
        Status <strong>{trace.response.statusCode}</strong> after {duration(trace.durationMs)}.
      </p>
      <Code text={trace.response.isBase64Encoded ? `(base64) ${trace.response.body}` : pretty(trace.response.body)} label="Response body" />
    </Section>
  );
}

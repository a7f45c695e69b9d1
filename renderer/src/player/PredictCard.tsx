/**
 * Predict before you see. A scenario step with a `predict` question asks it before the request
 * runs; the answer appears with the trace, once playback reaches the end (or on request).
 */
import { useEffect } from 'react';
import { useClock } from '../playback/use-clock';
import { useApp } from '../store';
import { CheckIcon, CrossIcon } from '../ui/icons';
import { choiceMatches } from './predict';
import { useSelectedEntry } from './use-timeline';

export function PredictCard({ stepIndex }: { stepIndex: number }) {
  const step = useApp((s) => s.session?.steps.find((st) => st.index === stepIndex));
  const answer = useApp((s) => s.answerPredict);
  const busy = useApp((s) => s.busy);
  const predict = step?.predict;
  if (!predict) return null;
  return (
    <div className="predict-layer">
      <section className="predict-card" aria-label="Predict before you see" aria-live="polite">
        <p className="eyebrow">Predict before you see · step {stepIndex}</p>
        <h2>{predict.question}</h2>
        {predict.choices && predict.choices.length > 0 ? (
          <div className="choices">
            {predict.choices.map((c, i) => (
              // The question takes the focus, so a keyboard user answers right away.
              <button key={c} type="button" className="choice" disabled={busy} autoFocus={i === 0} onClick={() => void answer(c)}>
                {c}
              </button>
            ))}
          </div>
        ) : (
          <p className="muted">Think about it, then run the request and watch what happens.</p>
        )}
        <div className="predict-actions">
          <button
            type="button"
            className={predict.choices?.length ? 'link' : 'primary'}
            disabled={busy}
            autoFocus={!predict.choices?.length}
            onClick={() => void answer(null)}
          >
            {predict.choices?.length ? 'Skip the question and run' : 'I have a guess: run it'}
          </button>
        </div>
      </section>
    </div>
  );
}

export function PredictReveal() {
  const entry = useSelectedEntry();
  const stepIndex = entry?.stepIndex;
  const step = useApp((s) => (stepIndex !== undefined ? s.session?.steps.find((st) => st.index === stepIndex) : undefined));
  const prediction = useApp((s) => (stepIndex !== undefined ? s.predictions[stepIndex] : undefined));
  const reveal = useApp((s) => s.revealPredict);
  const dismiss = useApp((s) => s.dismissPredict);
  const done = useClock((s) => s.frame?.done ?? false);
  useEffect(() => {
    if (done && stepIndex !== undefined && prediction && !prediction.revealed) reveal(stepIndex);
  }, [done, stepIndex, prediction, reveal]);
  if (!step?.predict || !prediction || prediction.dismissed || stepIndex === undefined) return null;
  const { question, answer } = step.predict;
  const verdict = prediction.choice ? choiceMatches(prediction.choice, answer) : null;
  return (
    <section className={`predict-reveal${prediction.revealed ? ' open' : ''}`} aria-label="Your prediction" aria-live="polite">
      <p className="eyebrow">{question}</p>
      {prediction.choice && (
        <p className="your-choice">
          You said: <strong>{prediction.choice}</strong>
        </p>
      )}
      {prediction.revealed ? (
        <>
          <p className={`answer${verdict === true ? ' right' : verdict === false ? ' wrong' : ''}`}>
            {verdict === true && <CheckIcon />}
            {verdict === false && <CrossIcon />}
            <span>{answer}</span>
          </p>
          <button type="button" className="secondary small" onClick={() => dismiss(stepIndex)}>
            Got it
          </button>
        </>
      ) : (
        <p className="muted small">
          The answer appears when the request is back.{' '}
          <button type="button" className="link" onClick={() => reveal(stepIndex)}>
            Show it now
          </button>
        </p>
      )}
    </section>
  );
}

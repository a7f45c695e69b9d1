/**
 * The open scenario: what it teaches, its steps with their narration and results, Run and
 * Restart, and the requests sent from the composer. Picking a step that ran shows its trace.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { ScenarioStep } from '../../../engine/scenario/types';
import { describeStep, duration, statusClass } from '../format';
import { useApp } from '../store';
import type { TraceEntry } from '../store/types';
import { PlayIcon, PlusIcon, RestartIcon } from '../ui/icons';
import { requestLine, requestVerb } from './StageHeader';

export function ScenarioRail() {
  const session = useApp((s) => s.session)!;
  const nextStep = useApp((s) => s.nextStep);
  const busy = useApp((s) => s.busy);
  const runNext = useApp((s) => s.runNext);
  const restart = useApp((s) => s.restart);
  const setComposerOpen = useApp((s) => s.setComposerOpen);
  const entries = useApp((s) => s.entries);
  // Ad-hoc requests, and traces opened from the other views (a comparison lane, a live request, a load sample).
  const requests = useMemo(() => entries.filter((e) => e.origin !== 'step'), [entries]);
  const total = session.steps.length;
  const sc = session.scenario;

  return (
    <aside className="rail" aria-label="Scenario">
      <div className="rail-head">
        <div className="tags">
          {sc.gateways.map((g) => (
            <span key={g} className={`tag gw-${g.toLowerCase()}`}>
              {g === 'WEBSOCKET' ? 'WebSocket' : g}
            </span>
          ))}
          {sc.level && <span className={`tag level-${sc.level}`}>{sc.level}</span>}
        </div>
        <h1 id="scenario-title">{sc.title}</h1>
        {sc.teaches.length > 0 && (
          <details className="teaches-box">
            <summary>What this teaches</summary>
            <ul aria-label="What this scenario teaches">
              {sc.teaches.map((t, i) => (
                <li key={i}>{t}</li>
              ))}
            </ul>
          </details>
        )}
        <div className="rail-controls">
          {/* Focus starts on Run: a keyboard user's first move in a scenario. */}
          <button type="button" className="primary" autoFocus onClick={() => void runNext()} disabled={busy || nextStep === null}>
            <PlayIcon /> Run
          </button>
          <button type="button" className="secondary" onClick={() => void restart()} disabled={busy}>
            <RestartIcon /> Restart
          </button>
          <button type="button" className="secondary" onClick={() => setComposerOpen(true)} disabled={busy}>
            <PlusIcon /> New request
          </button>
        </div>
        <p className="next muted small" aria-live="polite">
          {nextStep !== null ? `Next: step ${nextStep} of ${total}` : total > 0 ? 'All steps ran.' : 'This API has no scripted steps.'}
        </p>
      </div>
      <div className="rail-scroll">
        {total > 0 && (
          <ol className="scenario-steps" aria-label="Scenario steps">
            {session.steps.map((st) => (
              <StepItem key={st.index} step={st} next={st.index === nextStep} />
            ))}
          </ol>
        )}
        {requests.length > 0 && (
          <section aria-label="Your requests" className="your-requests">
            <h2>Your requests</h2>
            <ol>
              {requests.map((e, i) => (
                <RequestItem key={e.key} entry={e} n={i + 1} />
              ))}
            </ol>
          </section>
        )}
      </div>
    </aside>
  );
}

function StepItem({ step, next }: { step: ScenarioStep; next: boolean }) {
  const result = useApp((s) => s.results[step.index]);
  const entries = useApp((s) => s.entries);
  const selectedKey = useApp((s) => s.selection?.key);
  const selectTrace = useApp((s) => s.selectTrace);
  const prediction = useApp((s) => s.predictions[step.index]);
  const mine = useMemo(() => entries.filter((e) => e.stepIndex === step.index), [entries, step.index]);
  const selected = mine.some((e) => e.key === selectedKey);
  const state = result ? (result.passed ? 'passed' : 'failed') : next ? 'next' : 'pending';
  const failed = result?.checks.filter((c) => !c.passed) ?? [];
  const item = useRef<HTMLLIElement>(null);
  // Keep the step on screen in view in the rail (the rail scrolls; the page never does).
  useEffect(() => {
    if (selected || (next && !selectedKey)) item.current?.scrollIntoView({ block: 'nearest' });
  }, [selected, next, selectedKey]);
  return (
    <li ref={item} className={`scenario-step ${state}${selected ? ' selected' : ''}`} aria-current={next ? 'step' : undefined}>
      <div className="step-head">
        <span className="num" aria-hidden="true">
          {step.index}
        </span>
        <code className="what">{describeStep(step)}</code>
        {step.predict && (
          <span className="tag predict" title="This step asks you to predict the outcome">
            predict
          </span>
        )}
      </div>
      {step.say && <p className="say">{step.say}</p>}
      {result && mine.length === 0 && <p className="outcome small muted">{result.summary}</p>}
      {prediction?.revealed && step.predict && <p className="small answer-note">Answer: {step.predict.answer}</p>}
      {failed.length > 0 && (
        <ul className="checks small">
          {failed.map((c, i) => (
            <li key={i}>
              {c.gateway ? `${c.gateway} ` : ''}
              {c.what}: expected {JSON.stringify(c.expected)}, got {JSON.stringify(c.actual)}
            </li>
          ))}
        </ul>
      )}
      {result && (
        <div className="trace-links">
          {mine.map((e) => (
            <TraceLink
              key={e.key}
              entry={e}
              label={`Show step ${step.index}${mine.length > 1 ? ` (${tagOf(e, mine)})` : ''}`}
              selected={e.key === selectedKey}
              onSelect={() => selectTrace(e.key)}
              tag={mine.length > 1 ? tagOf(e, mine) : undefined}
            />
          ))}
          <span className={`result ${state}`}>{result.passed ? '✓ as expected' : '✗ unexpected'}</span>
        </div>
      )}
    </li>
  );
}

/** What tells a step's traces apart: the gateway type (comparisons), or the WebSocket event. */
function tagOf(e: TraceEntry, all: readonly TraceEntry[]): string {
  if (new Set(all.map((x) => x.gateway)).size > 1) return e.gateway;
  const ws = e.trace.websocket;
  return ws ? `${ws.eventType.toLowerCase()}${ws.client ? ` ${ws.client}` : ''}` : `${all.indexOf(e) + 1}`;
}

function TraceLink({ entry, label, selected, onSelect, tag }: { entry: TraceEntry; label: string; selected: boolean; onSelect(): void; tag?: string | undefined }) {
  const status = entry.trace.response.statusCode;
  return (
    <button type="button" className={`trace-link${selected ? ' selected' : ''}`} aria-label={label} aria-pressed={selected} onClick={onSelect}>
      {tag && <span className="gw">{tag}</span>}
      <span className={`status ${statusClass(status)}`}>{status}</span>
      {entry.trace.stoppedAt && <span className={`small stopped-at${entry.trace.gatewayResponse ? '' : ' shortcut'}`}>at {entry.trace.stoppedAt}</span>}
      <span className="small muted">{duration(entry.trace.durationMs)}</span>
    </button>
  );
}

const ORIGIN_TAGS: Readonly<Record<TraceEntry['origin'], string | undefined>> = { step: undefined, request: undefined, compare: 'compare', live: 'live', load: 'load sample' };

function RequestItem({ entry, n }: { entry: TraceEntry; n: number }) {
  const selectedKey = useApp((s) => s.selection?.key);
  const selectTrace = useApp((s) => s.selectTrace);
  const tag = ORIGIN_TAGS[entry.origin];
  return (
    <li className={`scenario-step request${entry.key === selectedKey ? ' selected' : ''}`}>
      <div className="step-head">
        <span className="num" aria-hidden="true">
          R{n}
        </span>
        <code className="what">
          {requestVerb(entry.trace)} {requestLine(entry.trace)}
        </code>
        {tag && (
          <span className="tag" title={`Opened from the ${entry.origin === 'load' ? 'load' : entry.origin} view`}>
            {tag === 'compare' ? entry.gateway : tag}
          </span>
        )}
      </div>
      <div className="trace-links">
        <TraceLink entry={entry} label={`Show request ${n}`} selected={entry.key === selectedKey} onSelect={() => selectTrace(entry.key)} />
      </div>
    </li>
  );
}

/**
 * A minimal page for now: the scenario list, the open scenario's steps with a Run button, and the
 * latest trace's steps. The lifecycle player replaces the main area; keep the accessible names
 * "Open <scenario title>" and "Run" (the end-to-end tests use them).
 */
import { useRef } from 'react';
import { useStore } from 'zustand';
import type { ScenarioSummary, StepResult } from '../../engine/api/types';
import type { ScenarioStep } from '../../engine/scenario/types';
import type { Trace } from '../../engine/trace/types';
import type { AppStore } from './store';

export function App({ store }: { store: AppStore }) {
  const s = useStore(store);
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Gateway Lab</span>
        {s.host && (
          <span className="host">
            {s.host.host === 'electron' ? 'Desktop' : 'Browser'} · simulates {s.host.gateways.join(', ')} APIs · v{s.host.appVersion}
          </span>
        )}
      </header>
      {s.disconnected && (
        <div className="banner" role="alert">
          The connection to Gateway Lab was lost. Start it again, then reload this page.
        </div>
      )}
      <div className="layout">
        <ScenarioList store={store} />
        <main className="content">
          {s.error && (
            <div className="error" role="alert">
              <strong>{s.error.message}</strong>
              {s.error.issues && s.error.issues.length > 1 && (
                <ul>
                  {s.error.issues.map((i, n) => (
                    <li key={n}>
                      {i.file}:{i.line}:{i.column} {i.path || '(document)'}: {i.message}
                    </li>
                  ))}
                </ul>
              )}
              <button type="button" onClick={() => s.dismissError()}>
                Dismiss
              </button>
            </div>
          )}
          {s.session ? <ScenarioView store={store} /> : <Welcome />}
        </main>
      </div>
    </div>
  );
}

function Welcome() {
  return (
    <section className="welcome">
      <h1>See every step of an API Gateway request</h1>
      <p>
        Pick a scenario on the left. Each one is a small API and a sequence of requests; run them one at a time and watch what API Gateway
        does with each: routing, authorization, validation, mapping templates, the integration and the response.
      </p>
      <p>New to API Gateway? Follow the beginner track: the scenarios marked “beginner track 1”, “2”… in that order.</p>
    </section>
  );
}

function ScenarioList({ store }: { store: AppStore }) {
  const scenarios = useStore(store, (s) => s.scenarios);
  const current = useStore(store, (s) => s.session?.scenario.ref);
  const host = useStore(store, (s) => s.host);
  const busy = useStore(store, (s) => s.busy);
  const input = useRef<HTMLInputElement>(null);
  const bundled = scenarios.filter((x) => x.source === 'bundled');
  const opened = scenarios.filter((x) => x.source === 'file');

  const openFile = () => {
    if (host?.capabilities.nativeFileDialog) void store.getState().openDialog();
    else input.current?.click();
  };

  return (
    <nav className="sidebar" aria-label="Scenarios">
      <h2>Scenarios</h2>
      <ScenarioButtons list={bundled} current={current} store={store} busy={busy} />
      {opened.length > 0 && (
        <>
          <h3>Opened files</h3>
          <ScenarioButtons list={opened} current={current} store={store} busy={busy} />
        </>
      )}
      <button type="button" className="secondary" onClick={openFile} disabled={busy}>
        Open a file…
      </button>
      <input
        ref={input}
        type="file"
        accept=".yaml,.yml,.json"
        hidden
        aria-label="Scenario or OpenAPI file"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) await store.getState().openText(file.name, await file.text());
        }}
      />
    </nav>
  );
}

/** The scenario's place in the library's beginner track, if it has one. */
function beginnerPosition(sc: ScenarioSummary): number | undefined {
  return sc.tracks?.find((t) => t.id === 'beginner')?.position;
}

function ScenarioButtons({ list, current, store, busy }: { list: readonly ScenarioSummary[]; current: string | undefined; store: AppStore; busy: boolean }) {
  return (
    <ul className="scenarios">
      {list.map((sc) => (
        <li key={sc.ref}>
          <button
            type="button"
            aria-label={`Open ${sc.title}`}
            aria-current={sc.ref === current ? 'true' : undefined}
            className={sc.ref === current ? 'scenario current' : 'scenario'}
            disabled={busy}
            onClick={() => void store.getState().openScenario(sc.ref)}
          >
            <span className="title">{sc.title}</span>
            <span className="meta">
              {sc.problems
                ? `${sc.problems.length} problem(s) in ${sc.fileName}`
                : [
                    beginnerPosition(sc) ? `beginner track ${beginnerPosition(sc)}` : undefined,
                    sc.level,
                    sc.topic,
                    sc.kind === 'openapi' ? 'OpenAPI' : `${sc.stepCount} ${sc.stepCount === 1 ? 'step' : 'steps'}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function ScenarioView({ store }: { store: AppStore }) {
  const s = useStore(store);
  const session = s.session!;
  const byStep = new Map<number, StepResult>(s.results.map((r) => [r.stepIndex, r]));
  const last = s.results[s.results.length - 1];
  return (
    <section className="scenario-view" aria-labelledby="scenario-title">
      <h1 id="scenario-title">{session.scenario.title}</h1>
      {session.scenario.teaches.length > 0 && (
        <ul className="teaches" aria-label="What this scenario teaches">
          {session.scenario.teaches.map((t, i) => (
            <li key={i}>{t}</li>
          ))}
        </ul>
      )}
      <div className="controls">
        <button type="button" className="primary" onClick={() => void s.runNext()} disabled={s.busy || s.nextStep === null}>
          Run
        </button>
        <button type="button" className="secondary" onClick={() => void s.restart()} disabled={s.busy}>
          Restart
        </button>
        <span className="next" aria-live="polite">
          {s.nextStep !== null ? `Next: step ${s.nextStep} of ${session.steps.length}` : session.steps.length > 0 ? 'All steps ran.' : 'This API has no scripted steps.'}
        </span>
      </div>
      <div className="columns">
        <ol className="steps" aria-label="Scenario steps">
          {session.steps.map((st) => (
            <StepItem key={st.index} step={st} result={byStep.get(st.index)} next={st.index === s.nextStep} />
          ))}
        </ol>
        <div className="result">
          {last && <LastResult result={last} />}
          {s.trace ? <TraceView trace={s.trace} store={store} /> : <p className="hint">Press Run to send the first request.</p>}
        </div>
      </div>
    </section>
  );
}

function describeStep(st: ScenarioStep): string {
  if (st.request) return `${st.request.method} ${st.request.path}${st.repeat ? ` ×${st.repeat}` : ''}`;
  if (st.deploy) return `Deploy${st.deploy.stage ? ` to ${st.deploy.stage}` : ''}`;
  if (st.edit) return 'Edit the API';
  if (st.editFunction) return `Update function ${st.editFunction.name}`;
  if (st.wait !== undefined) return `Wait ${st.wait} s`;
  return 'Read';
}

function StepItem({ step, result, next }: { step: ScenarioStep; result: StepResult | undefined; next: boolean }) {
  const state = result ? (result.passed ? 'passed' : 'failed') : next ? 'next' : 'pending';
  return (
    <li className={`step ${state}`} aria-current={next ? 'step' : undefined}>
      <div className="step-head">
        <span className="num">{step.index}</span>
        <code>{describeStep(step)}</code>
        {result && <span className={`badge ${state}`}>{result.passed ? 'as expected' : 'unexpected'}</span>}
      </div>
      {step.say && <p>{step.say}</p>}
    </li>
  );
}

function LastResult({ result }: { result: StepResult }) {
  const failed = result.checks.filter((c) => !c.passed);
  return (
    <div className={`last ${result.passed ? 'passed' : 'failed'}`}>
      <p className="summary">
        Step {result.stepIndex}: {result.summary}
      </p>
      {failed.length > 0 && (
        <ul className="checks">
          {failed.map((c, i) => (
            <li key={i}>
              {c.what}: expected {JSON.stringify(c.expected)}, got {JSON.stringify(c.actual)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TraceView({ trace, store }: { trace: Trace; store: AppStore }) {
  const download = async (format: 'json' | 'har') => {
    const out = await store.getState().exportTrace(format);
    if (!out) return;
    const url = URL.createObjectURL(new Blob([out.content], { type: out.mimeType }));
    const a = document.createElement('a');
    a.href = url;
    a.download = out.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const r = trace.response;
  return (
    <section className="trace" aria-label="Trace">
      <h2>
        <code>
          {trace.request.method} {trace.request.path}
          {trace.request.rawQuery ? `?${trace.request.rawQuery}` : ''}
        </code>{' '}
        → <span className={`status s${Math.floor(r.statusCode / 100)}`}>{r.statusCode}</span>
        <span className="duration">{trace.durationMs} ms</span>
      </h2>
      {trace.stoppedAt && <p className="stopped">Stopped at {trace.stoppedAt}{trace.gatewayResponse ? ` (gateway response ${trace.gatewayResponse.type})` : ''}.</p>}
      <h3>Trace steps</h3>
      <ol className="trace-steps" aria-label="Trace steps">
        {trace.steps.map((st, i) => (
          <li key={i} className={`trace-step ${st.outcome}`}>
            <span className="name">{st.step}</span>
            <span className="phase">{st.phase}</span>
            <span className={`outcome ${st.outcome}`}>{st.outcome}</span>
            <span className="ms">{st.durationMs} ms</span>
            <p>{st.summary}</p>
          </li>
        ))}
      </ol>
      <details>
        <summary>Response body</summary>
        <pre>{r.isBase64Encoded ? `(base64) ${r.body}` : r.body || '(empty)'}</pre>
      </details>
      <details>
        <summary>Execution log</summary>
        <pre>{trace.executionLog.join('\n') || '(none)'}</pre>
      </details>
      <div className="exports">
        <button type="button" className="secondary" onClick={() => void download('json')}>
          Export JSON
        </button>
        <button type="button" className="secondary" onClick={() => void download('har')}>
          Export HAR
        </button>
      </div>
    </section>
  );
}

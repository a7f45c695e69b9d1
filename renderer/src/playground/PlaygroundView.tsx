/**
 * The mapping-template playground: "why does my template print that?" Edit a template, the body
 * it reads and its variables ($context, $stageVariables, parameters); the engine renders it as
 * API Gateway would (GatewayApi.renderTemplate) as you type, and says what the template read
 * and which overrides it set, or which line and column stopped it.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useApp } from '../store';
import { CodeEditor, type CodeEditorHandle } from './CodeEditor';

export function PlaygroundView() {
  const load = useApp((s) => s.loadTemplates);
  const templates = useApp((s) => s.templates);
  const name = useApp((s) => s.templateName);
  const pick = useApp((s) => s.pickTemplate);
  const template = useApp((s) => s.template);
  const setText = useApp((s) => s.setTemplateText);
  const rendered = useApp((s) => s.rendered);
  const editor = useRef<CodeEditorHandle>(null);
  const errorId = useId();
  useEffect(() => void load(), [load]);
  const error = rendered?.status === 'error' ? rendered : null;
  const current = templates.find((t) => t.name === name);

  return (
    <main className="view playground-view" aria-labelledby="playground-title">
      <div className="view-inner wide">
        <header className="view-head">
          <h1 id="playground-title">Mapping-template playground</h1>
          <p className="lede">A Velocity template as API Gateway runs it, with $input, $util, $context and $stageVariables. It renders as you type.</p>
        </header>
        <div className="scenario-bar">
          <label className="eyebrow" htmlFor={`${errorId}-ex`}>
            Example
          </label>
          <select id={`${errorId}-ex`} className="scenario-select" value={name ?? ''} onChange={(e) => pick(e.target.value)}>
            <option value="">Your own template</option>
            {templates.map((t) => (
              <option key={t.name} value={t.name}>
                {t.title}
              </option>
            ))}
          </select>
          {current && <code className="muted small">scenarios/templates/{current.name}.vtl</code>}
          {current && template !== current.template && <span className="tag warn">edited</span>}
        </div>
        <div className="playground-layout">
          <section className="panel template-panel" aria-labelledby="template-title">
            <div className="panel-head">
              <h2 id="template-title">Template</h2>
              <span className="spacer" />
              <span className="muted small">{template.length.toLocaleString('en-US')} characters</span>
            </div>
            <CodeEditor
              ref={editor}
              label="Template"
              value={template}
              rows={24}
              errorLine={error?.line}
              describedBy={error ? errorId : undefined}
              onChange={(v) => setText({ template: v })}
            />
            <div className="render-status" id={errorId} role="status">
              {error ? (
                <p className="template-error">
                  <button type="button" className="link" onClick={() => editor.current?.goTo(error.line, error.column)}>
                    Line {error.line}, column {error.column}
                  </button>
                  : {error.message}
                </p>
              ) : rendered?.status === 'rendered' ? (
                <p className="muted small">Rendered in {rendered.durationMs < 1 ? 'under a millisecond' : `${Math.round(rendered.durationMs)} ms`}.</p>
              ) : (
                <p className="muted small">Rendering…</p>
              )}
            </div>
          </section>
          <div className="playground-side">
            <Output />
            <Inputs />
          </div>
        </div>
      </div>
    </main>
  );
}

/** What the template reads: the body, and the variables ($context, $stageVariables, parameters), as two tabs. */
function Inputs() {
  const body = useApp((s) => s.templateBody);
  const vars = useApp((s) => s.templateVars);
  const setText = useApp((s) => s.setTemplateText);
  const varsError = useApp((s) => s.varsError);
  const [tab, setTab] = useState<'body' | 'vars'>('body');
  const id = useId();
  const tabs = [
    { key: 'body', label: 'Body' },
    { key: 'vars', label: 'Variables' },
  ] as const;
  return (
    <section className="panel inputs-panel" aria-label="What the template reads">
      <div className="tabs" role="tablist" aria-label="What the template reads">
        {tabs.map((t) => (
          <button
            key={t.key}
            id={`${id}-${t.key}-tab`}
            type="button"
            role="tab"
            aria-selected={tab === t.key}
            aria-controls={`${id}-${t.key}`}
            tabIndex={tab === t.key ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.key)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                const next = tab === 'body' ? 'vars' : 'body';
                setTab(next);
                document.getElementById(`${id}-${next}-tab`)?.focus();
                e.preventDefault();
              }
            }}
          >
            {t.label}
            {t.key === 'vars' && varsError && <span className="tab-error" aria-label="has an error" />}
          </button>
        ))}
      </div>
      {tab === 'body' ? (
        <div role="tabpanel" id={`${id}-body`} aria-labelledby={`${id}-body-tab`}>
          <p className="muted small">What $input reads: the request body (or, in a response template, the integration’s).</p>
          <CodeEditor label="Body" value={body} rows={8} onChange={(v) => setText({ templateBody: v })} />
        </div>
      ) : (
        <div role="tabpanel" id={`${id}-vars`} aria-labelledby={`${id}-vars-tab`}>
          <p className="muted small">
            <code>context</code>, <code>stageVariables</code>, and <code>params</code> (<code>path</code>, <code>querystring</code>, <code>header</code>) as JSON.
          </p>
          <CodeEditor label="Variables" value={vars} rows={8} onChange={(v) => setText({ templateVars: v })} />
        </div>
      )}
      {varsError && (
        <p className="template-error small" role="alert">
          {varsError}
        </p>
      )}
    </section>
  );
}

function Output() {
  const rendered = useApp((s) => s.rendered);
  const lastOutput = useApp((s) => s.lastOutput);
  const ok = rendered?.status === 'rendered' ? rendered : null;
  const json = useMemo(() => {
    if (!ok || ok.output.trim() === '') return null;
    const t = ok.output.trim();
    if (!t.startsWith('{') && !t.startsWith('[')) return null;
    try {
      JSON.parse(t);
      return { valid: true, message: '' };
    } catch (e) {
      return { valid: false, message: (e as Error).message };
    }
  }, [ok]);
  const overrides = ok
    ? [
        ...(ok.responseOverride.status !== undefined ? [`response status → ${ok.responseOverride.status}`] : []),
        ...Object.entries(ok.responseOverride.header).map(([k, v]) => `response header ${k}: ${v}`),
        ...Object.entries(ok.requestOverride.header).map(([k, v]) => `request header ${k}: ${v}`),
        ...Object.entries(ok.requestOverride.querystring).map(([k, v]) => `query ${k}=${v}`),
        ...Object.entries(ok.requestOverride.path).map(([k, v]) => `path ${k} → ${v}`),
      ]
    : [];
  return (
    <section className="panel output-panel" aria-labelledby="output-title">
      <div className="panel-head">
        <h2 id="output-title">Output</h2>
        <span className="spacer" />
        {rendered?.status === 'error' ? (
          <span className="tag warn" title="The template has an error (under the editor): this is what it printed before">
            last output before the error
          </span>
        ) : (
          json && (
            <span className={`tag ${json.valid ? 'good' : 'bad'}`} title={json.message}>
              {json.valid ? 'valid JSON' : 'not valid JSON'}
            </span>
          )
        )}
      </div>
      <pre className={`code output${rendered?.status === 'error' ? ' stale' : ''}`} aria-label="Rendered output" aria-live="polite">
        {ok ? ok.output || '(empty output)' : rendered?.status === 'error' ? (lastOutput ?? '') : ''}
      </pre>
      {json && !json.valid && <p className="small bad-text">{json.message}</p>}
      {ok && ok.reads.length > 0 && (
        <details className="reads">
          <summary>It read {ok.reads.length} value{ok.reads.length === 1 ? '' : 's'}</summary>
          <ul>
            {ok.reads.map((r) => (
              <li key={r}>
                <code>{r}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      {overrides.length > 0 && (
        <div className="overrides" aria-label="Overrides">
          <span className="eyebrow">Overrides it set</span>
          <ul>
            {overrides.map((o) => (
              <li key={o}>
                <code>{o}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

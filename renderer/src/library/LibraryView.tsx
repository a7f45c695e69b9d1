/**
 * The scenario library: bundled scenarios by gateway type, with search and filters (type, level,
 * topic), each card saying what it teaches; and the files the user opened, with their problems
 * (file:line:col path) when they do not load.
 */
import { useMemo, useRef } from 'react';
import type { ScenarioSummary } from '../../../engine/api/types';
import { formatIssue } from '../format';
import { useApp } from '../store';
import { SearchIcon, UploadIcon } from '../ui/icons';
import { type LibraryFilter, librarySections, topicLabel, topicsOf } from './filter';

const GATEWAY_FILTERS: { value: LibraryFilter['gateway']; label: string }[] = [
  { value: 'ALL', label: 'All' },
  { value: 'REST', label: 'REST' },
  { value: 'HTTP', label: 'HTTP' },
  { value: 'WEBSOCKET', label: 'WebSocket' },
  { value: 'COMPARE', label: 'Comparisons' },
];
const LEVEL_FILTERS: { value: LibraryFilter['level']; label: string }[] = [
  { value: 'ALL', label: 'Any level' },
  { value: 'beginner', label: 'Beginner' },
  { value: 'intermediate', label: 'Intermediate' },
  { value: 'advanced', label: 'Advanced' },
];

export function LibraryView() {
  const scenarios = useApp((s) => s.scenarios);
  const filter = useApp((s) => s.filter);
  const setFilter = useApp((s) => s.setFilter);
  const sections = useMemo(() => librarySections(scenarios, filter), [scenarios, filter]);
  const topics = useMemo(() => topicsOf(scenarios), [scenarios]);
  const opened = scenarios.filter((s) => s.source === 'file');
  const total = sections.reduce((n, s) => n + s.scenarios.length, 0);
  const openScenario = useApp((s) => s.openScenario);
  const filtering = filter.query !== '' || filter.gateway !== 'ALL' || filter.level !== 'ALL' || filter.topic !== 'ALL';
  // The beginner track from scenarios/tracks.yaml, in its own order.
  const beginner = useMemo(
    () =>
      scenarios
        .flatMap((scenario) => (scenario.tracks ?? []).filter((t) => t.id === 'beginner').map((t) => ({ scenario, position: t.position, label: t.label })))
        .sort((a, b) => a.position - b.position),
    [scenarios],
  );

  return (
    <main className="library" aria-labelledby="library-title">
      <div className="library-inner">
        <header className="library-head">
          <div>
            <h1 id="library-title">See every step of an API Gateway request</h1>
            <p className="lede">
              Each scenario is a small API and a few requests. Open one, run its requests, and follow each through API Gateway: routing,
              authorizers, API keys, validation, mapping templates, the integration, and the responses it sends back.
            </p>
          </div>
          <OpenFileButton />
        </header>

        <div className="filters" role="search">
          <label className="search">
            <SearchIcon />
            <input
              type="search"
              placeholder="Search: authorizer, 403, CORS…"
              aria-label="Search scenarios"
              value={filter.query}
              onChange={(e) => setFilter({ query: e.target.value })}
            />
          </label>
          <div className="chips" role="group" aria-label="Gateway type">
            {GATEWAY_FILTERS.map((g) => (
              <button key={g.value} type="button" className="chip" aria-pressed={filter.gateway === g.value} onClick={() => setFilter({ gateway: g.value })}>
                {g.label}
              </button>
            ))}
          </div>
          <select aria-label="Level" value={filter.level} onChange={(e) => setFilter({ level: e.target.value as LibraryFilter['level'] })}>
            {LEVEL_FILTERS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
          <select aria-label="Topic" value={filter.topic} onChange={(e) => setFilter({ topic: e.target.value })}>
            <option value="ALL">Any topic</option>
            {topics.map((t) => (
              <option key={t} value={t}>
                {topicLabel(t)}
              </option>
            ))}
          </select>
        </div>

        {beginner.length > 0 && !filtering && (
          <section className="library-section track" aria-labelledby="track-title">
            <h2 id="track-title">
              New to API Gateway? Start here <span className="count">{beginner.length}</span>
            </h2>
            <p className="track-note">The beginner track, in order: each scenario uses only what the ones before it explained.</p>
            <ol className="track-list">
              {beginner.map(({ scenario, position, label }) => (
                <li key={scenario.ref}>
                  <button type="button" className="link" onClick={() => void openScenario(scenario.ref)} aria-label={`Beginner track ${position}: ${scenario.title}`}>
                    <span className="track-pos">{position}</span>
                    <span className="track-label">{label ?? scenario.title}</span>
                  </button>
                </li>
              ))}
            </ol>
          </section>
        )}

        {opened.length > 0 && (
          <section className="library-section" aria-labelledby="opened-title">
            <h2 id="opened-title">Opened files</h2>
            <div className="cards">
              {opened.map((s) => (
                <ScenarioCard key={s.ref} scenario={s} />
              ))}
            </div>
          </section>
        )}

        {sections.map((section) => (
          <section key={section.id} className="library-section" aria-labelledby={`section-${section.id}`}>
            <h2 id={`section-${section.id}`}>
              {section.title} <span className="count">{section.scenarios.length}</span>
            </h2>
            <div className="cards">
              {section.scenarios.map((s) => (
                <ScenarioCard key={s.ref} scenario={s} />
              ))}
            </div>
          </section>
        ))}
        {total === 0 && scenarios.length > 0 && (
          <p className="empty" role="status">
            No scenario matches these filters.{' '}
            <button type="button" className="link" onClick={() => setFilter({ query: '', gateway: 'ALL', level: 'ALL', topic: 'ALL' })}>
              Clear the filters
            </button>
          </p>
        )}
      </div>
    </main>
  );
}

function ScenarioCard({ scenario: s }: { scenario: ScenarioSummary }) {
  const openScenario = useApp((st) => st.openScenario);
  const busy = useApp((st) => st.busy);
  const current = useApp((st) => st.session?.scenario.ref === s.ref);
  const teaches = s.teaches.slice(0, 2);
  return (
    <article className={`card${s.problems ? ' broken' : ''}${current ? ' current' : ''}`} aria-label={s.title}>
      <div className="card-top">
        {s.gateways.map((g) => (
          <span key={g} className={`tag gw-${g.toLowerCase()}`}>
            {g === 'WEBSOCKET' ? 'WebSocket' : g}
          </span>
        ))}
        {s.level && <span className={`tag level-${s.level}`}>{s.level}</span>}
        {s.tracks
          ?.filter((t) => t.id === 'beginner')
          .map((t) => (
            <span key={t.id} className="tag track-tag" title={t.title}>
              track {t.position}
            </span>
          ))}
        {s.kind === 'openapi' && <span className="tag">OpenAPI</span>}
        <span className="spacer" />
        <span className="muted small">{s.problems ? `${s.problems.length} problem${s.problems.length === 1 ? '' : 's'}` : s.kind === 'openapi' ? 'no steps' : `${s.stepCount} step${s.stepCount === 1 ? '' : 's'}`}</span>
      </div>
      <h3>{s.title}</h3>
      {s.topic && <p className="topic">{topicLabel(s.topic)}</p>}
      {s.problems ? (
        <ul className="problems" aria-label={`Problems in ${s.fileName}`}>
          {s.problems.slice(0, 4).map((p, i) => (
            <li key={i}>{formatIssue(p)}</li>
          ))}
        </ul>
      ) : (
        teaches.length > 0 && (
          <ul className="teaches" aria-label="What it teaches">
            {teaches.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
            {s.teaches.length > 2 && <li className="more">and {s.teaches.length - 2} more</li>}
          </ul>
        )
      )}
      <div className="card-foot">
        <span className="muted small file">{s.fileName}</span>
        <button type="button" className="primary" aria-label={`Open ${s.title}`} disabled={busy} onClick={() => void openScenario(s.ref)}>
          {current ? 'Continue' : 'Open'}
        </button>
      </div>
    </article>
  );
}

function OpenFileButton() {
  const host = useApp((s) => s.host);
  const busy = useApp((s) => s.busy);
  const openDialog = useApp((s) => s.openDialog);
  const openText = useApp((s) => s.openText);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={() => (host?.capabilities.nativeFileDialog ? void openDialog() : input.current?.click())}
      >
        <UploadIcon /> Open a file…
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
          if (file) await openText(file.name, await file.text());
        }}
      />
    </>
  );
}

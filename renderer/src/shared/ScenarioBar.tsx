/**
 * The top of the compare, load and live views: which scenario they work on (the one open in the
 * player), and a menu to open another that fits the view without leaving it. When the open
 * scenario does not fit (a REST-only API in Compare), the view shows NeedsScenario instead.
 */
import { useId, useMemo, type ReactNode } from 'react';
import type { ScenarioSummary } from '../../../engine/api/types';
import { useApp } from '../store';

export function ScenarioBar({ fits, children }: { fits: (s: ScenarioSummary) => boolean; children?: ReactNode }) {
  const session = useApp((s) => s.session);
  const scenarios = useApp((s) => s.scenarios);
  const busy = useApp((s) => s.busy);
  const openScenario = useApp((s) => s.openScenario);
  const id = useId();
  const options = useMemo(() => scenarios.filter((s) => !s.problems && fits(s)), [scenarios, fits]);
  const current = session && fits(session.scenario) ? session.scenario.ref : '';
  return (
    <div className="scenario-bar">
      <label htmlFor={id} className="eyebrow">
        Scenario
      </label>
      <select id={id} className="scenario-select" value={current} disabled={busy} onChange={(e) => e.target.value && void openScenario(e.target.value, { stay: true })}>
        {current === '' && <option value="">Choose a scenario…</option>}
        {options.map((s) => (
          <option key={s.ref} value={s.ref}>
            {s.title}
          </option>
        ))}
      </select>
      {session && current && (
        <span className="tags">
          {session.scenario.gateways.map((g) => (
            <span key={g} className={`tag gw-${g.toLowerCase()}`}>
              {g === 'WEBSOCKET' ? 'WebSocket' : g}
            </span>
          ))}
        </span>
      )}
      <span className="spacer" />
      {children}
    </div>
  );
}

/** A view's empty state: what it needs, and the scenarios that have it. */
export function NeedsScenario({ title, why, fits }: { title: string; why: string; fits: (s: ScenarioSummary) => boolean }) {
  const scenarios = useApp((s) => s.scenarios);
  const busy = useApp((s) => s.busy);
  const openScenario = useApp((s) => s.openScenario);
  // The beginner track first, in its order; then the rest by title.
  const options = useMemo(() => {
    const pos = (s: ScenarioSummary) => s.tracks?.find((t) => t.id === 'beginner')?.position ?? Infinity;
    return scenarios.filter((s) => !s.problems && fits(s)).sort((a, b) => pos(a) - pos(b) || a.title.localeCompare(b.title));
  }, [scenarios, fits]);
  return (
    <section className="needs-scenario" aria-label={title}>
      <h2>{title}</h2>
      <p className="muted">{why}</p>
      <ul className="needs-list">
        {options.map((s) => (
          <li key={s.ref}>
            <button type="button" className="link" disabled={busy} onClick={() => void openScenario(s.ref, { stay: true })}>
              {s.title}
            </button>
            <span className="tags">
              {s.gateways.map((g) => (
                <span key={g} className={`tag gw-${g.toLowerCase()}`}>
                  {g === 'WEBSOCKET' ? 'WebSocket' : g}
                </span>
              ))}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

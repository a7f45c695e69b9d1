/**
 * The compare view: "REST or HTTP for my API?" The same request through the scenario's REST and
 * HTTP APIs, side by side: each lane's outcome, the lifecycles aligned phase by phase with the
 * steps only one side has called out, where the time went, the Lambda event each side delivered,
 * the error bodies, and what a month of traffic costs on each. Everything shown is the engine's
 * comparison (GatewayApi.compare and estimateCost); nothing is computed here.
 */
import { useCallback } from 'react';
import type { ScenarioSummary } from '../../../engine/api/types';
import type { GatewayType } from '../../../engine/trace/types';
import { NeedsScenario, ScenarioBar } from '../shared/ScenarioBar';
import { RequestEditor } from '../shared/RequestEditor';
import { useApp } from '../store';
import { comparableGateways } from '../store/compare-slice';
import { CompareIcon } from '../ui/icons';
import { CostPanel } from './CostPanel';
import { Differences } from './Differences';
import { EventsSideBySide } from './EventsSideBySide';
import { LaneSummary } from './LaneSummary';
import { LatencyBars } from './LatencyBars';
import { PhaseLanes } from './PhaseLanes';

const fitsCompare = (s: ScenarioSummary) => s.gateways.filter((g) => g !== 'WEBSOCKET').length >= 2;

export function CompareView() {
  const session = useApp((s) => s.session);
  const comparison = useApp((s) => s.comparison);
  const busy = useApp((s) => s.busy);
  const fits = session !== null && fitsCompare(session.scenario);
  return (
    <main className="view compare-view" aria-labelledby="compare-title">
      <div className="view-inner">
        <header className="view-head">
          <h1 id="compare-title">Compare gateway types</h1>
          <p className="lede">One request through a REST API and an HTTP API: which steps each runs, the event your function receives, the errors clients see, and the bill.</p>
        </header>
        <ScenarioBar fits={fitsCompare} />
        {!fits ? (
          <NeedsScenario
            title="Pick a comparison"
            why="Comparing needs a scenario that defines the same API twice, as a REST API and as an HTTP API. These do:"
            fits={fitsCompare}
          />
        ) : (
          <div className="compare-layout">
            <CompareForm />
            <div className="compare-results" aria-live="polite" aria-busy={busy}>
              {comparison ? (
                <>
                  <LaneSummary comparison={comparison} />
                  <Differences comparison={comparison} />
                  <PhaseLanes comparison={comparison} />
                  <LatencyBars comparison={comparison} />
                  <EventsSideBySide comparison={comparison} />
                  <CostPanel comparison={comparison} />
                </>
              ) : (
                <div className="panel empty-results">
                  <p className="big">Press Compare to send the request through each API.</p>
                  <p className="muted">Both run on the scenario’s clock, one after the other: the first to call a Lambda function pays its cold start.</p>
                </div>
              )}
            </div>
          </div>
        )}
      </div>
    </main>
  );
}

function CompareForm() {
  const session = useApp((s) => s.session);
  const draft = useApp((s) => s.compareDraft);
  const setDraft = useApp((s) => s.setCompareDraft);
  const gateways = useApp((s) => s.compareGateways);
  const setGateways = useApp((s) => s.setCompareGateways);
  const run = useApp((s) => s.runCompare);
  const busy = useApp((s) => s.busy);
  const available = comparableGateways(session);
  const toggle = useCallback(
    (g: GatewayType, on: boolean) => setGateways(available.filter((x) => (x === g ? on : gateways.includes(x)))),
    [available, gateways, setGateways],
  );
  return (
    <form
      className="panel compare-form"
      aria-label="What to compare"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <RequestEditor draft={draft} onChange={setDraft} />
      <fieldset className="gateway-checks">
        <legend className="eyebrow">Through</legend>
        {available.map((g) => (
          <label key={g} className="check">
            <input type="checkbox" checked={gateways.includes(g)} onChange={(e) => toggle(g, e.target.checked)} />
            <span className={`tag gw-${g.toLowerCase()}`}>{g}</span> API
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" disabled={busy || gateways.length < 2}>
        <CompareIcon /> Compare
      </button>
      {gateways.length < 2 && <p className="muted small">Choose two gateway types.</p>}
    </form>
  );
}

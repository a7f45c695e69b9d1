/**
 * The load view: "what happens at 5,000 requests a second?" A load simulation through the open
 * scenario's real pipeline (its token buckets, stage cache and quotas), run by the engine on the
 * virtual clock: a progress bar and Cancel while it runs, the requests as dots flowing through
 * the gateway, charts of what happened each second, and what the run and a month of it cost.
 */
import type { ScenarioSummary } from '../../../engine/api/types';
import { NeedsScenario, ScenarioBar } from '../shared/ScenarioBar';
import { useApp } from '../store';
import { LoadCharts } from './LoadCharts';
import { LoadForm } from './LoadForm';
import { LoadResults } from './LoadResults';
import { PipelineCanvas } from './PipelineCanvas';

const fitsLoad = (s: ScenarioSummary) => s.gateways.some((g) => g === 'REST' || g === 'HTTP');

export function LoadView() {
  const session = useApp((s) => s.session);
  const fits = session !== null && fitsLoad(session.scenario);
  return (
    <main className="view load-view" aria-labelledby="load-title">
      <div className="view-inner wide">
        <header className="view-head">
          <h1 id="load-title">Simulate load</h1>
          <p className="lede">Thousands of requests through the API’s real pipeline on a virtual clock: who gets throttled, how often the cache answers, how latency and cost grow.</p>
        </header>
        <ScenarioBar fits={fitsLoad} />
        {!fits ? (
          <NeedsScenario title="Pick an API to load" why="Load simulation sends HTTP requests to a REST or HTTP API. These scenarios have one:" fits={fitsLoad} />
        ) : (
          <div className="load-layout">
            <LoadForm />
            <div className="load-main">
              <PipelineCanvas />
              <LoadCharts />
              <LoadResults />
            </div>
          </div>
        )}
      </div>
    </main>
  );
}

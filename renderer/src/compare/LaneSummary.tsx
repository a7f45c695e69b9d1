/** One card per gateway type: how the request ended, how long it took, and what a million cost. */
import type { ComparisonResult } from '../../../engine/api/types';
import { STATUS_TEXT, statusClass } from '../format';
import { useApp } from '../store';
import { dollars, ms } from './format';

export function LaneSummary({ comparison: c }: { comparison: ComparisonResult }) {
  const openInPlayer = useApp((s) => s.openInPlayer);
  const fastest = Math.min(...c.lanes.map((l) => l.trace.durationMs));
  return (
    <section className="lane-summary" aria-label="Outcome on each gateway type" style={{ gridTemplateColumns: `repeat(${c.lanes.length}, minmax(0, 1fr))` }}>
      {c.lanes.map(({ gateway, trace }) => {
        const status = trace.response.statusCode;
        const price = c.prices.byGateway[gateway];
        const cold = c.comparison.coldStart[gateway];
        return (
          <article key={gateway} className={`lane-card lane-${gateway.toLowerCase()}`} aria-label={`${gateway} API`}>
            <header>
              <span className={`tag gw-${gateway.toLowerCase()}`}>{gateway}</span>
              <span className={`status ${statusClass(status)}`} aria-label={`${gateway} status`}>
                {status} {STATUS_TEXT[status] ?? ''}
              </span>
              <span className="spacer" />
              <button type="button" className="link small" onClick={() => openInPlayer(trace, 'compare')} aria-label={`Play the ${gateway} trace in the player`}>
                Play in the player
              </button>
            </header>
            <dl className="lane-facts">
              <div>
                <dt>Latency</dt>
                <dd>
                  {ms(trace.durationMs)}
                  {trace.durationMs === fastest && c.lanes.length > 1 && <span className="tag good">fastest</span>}
                  {cold && <span className="muted small"> with a Lambda cold start</span>}
                </dd>
              </div>
              <div>
                <dt>Steps</dt>
                <dd>{trace.steps.filter((s) => s.outcome !== 'skip').length} ran</dd>
              </div>
              {price && (
                <div>
                  <dt>Per million requests</dt>
                  <dd aria-label={`${gateway} price per million requests`}>{dollars(price.perMillion)}</dd>
                </div>
              )}
            </dl>
            {trace.stoppedAt && (
              <p className="small stopped">
                Stopped at <strong>{trace.stoppedAt}</strong>
                {trace.gatewayResponse ? ` (gateway response ${trace.gatewayResponse.type})` : ''}
              </p>
            )}
          </article>
        );
      })}
    </section>
  );
}

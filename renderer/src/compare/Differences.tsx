/**
 * What differs, in words: the steps only one side ran, the status and error bodies, the payload
 * format of the Lambda event, the latency, and what HTTP APIs lack. All from the engine's
 * comparison (engine/compare/compare.ts).
 */
import type { ComparisonResult } from '../../../engine/api/types';
import type { GatewayType } from '../../../engine/trace/types';
import { stepName } from '../diagram/step-facts';
import { statusClass } from '../format';
import { ms } from './format';

export function Differences({ comparison: { comparison: c, notInHttp, lanes } }: { comparison: ComparisonResult }) {
  const only = (g: GatewayType) => c.onlyOneSide.filter((o) => o.gateway === g);
  const statuses = new Set(Object.values(c.status));
  const latencies = c.gateways.map((g) => c.latencyMs[g] ?? 0);
  const slow = c.gateways[latencies.indexOf(Math.max(...latencies))]!;
  const fast = c.gateways[latencies.indexOf(Math.min(...latencies))]!;
  return (
    <section className="panel differences" aria-labelledby="differences-title">
      <h2 id="differences-title">What differs</h2>
      <ul className="diff-list">
        {c.gateways.map((g) => {
          const steps = only(g);
          return (
            <li key={g} aria-label={`Steps only ${g} runs`}>
              <span className={`tag gw-${g.toLowerCase()}`}>only {g}</span>{' '}
              {steps.length ? (
                steps.map((o, i) => (
                  <span key={o.step}>
                    {i > 0 && ', '}
                    <strong>{stepName(o, g)}</strong>
                  </span>
                ))
              ) : (
                <span className="muted">no step of its own</span>
              )}
            </li>
          );
        })}
        <li>
          <span className="tag">status</span>{' '}
          {statuses.size > 1 ? (
            c.gateways.map((g, i) => (
              <span key={g}>
                {i > 0 && ' vs '}
                {g} <span className={`status ${statusClass(c.status[g]!)}`}>{c.status[g]}</span>
              </span>
            ))
          ) : (
            <span>the same on every side: {[...statuses][0]}</span>
          )}
        </li>
        {c.event && (
          <li>
            <span className="tag">event</span>{' '}
            {c.gateways
              .filter((g) => c.event!.formats[g])
              .map((g, i) => (
                <span key={g}>
                  {i > 0 && ', '}
                  {g} delivers payload <strong>{c.event!.formats[g]}</strong>
                </span>
              ))}
            {c.event.differingValues.length > 0 && <span className="muted">; same keys with different values: {c.event.differingValues.join(', ')}</span>}
          </li>
        )}
        {lanes.length > 1 && fast !== slow && (
          <li>
            <span className="tag">latency</span> {fast} answered in {ms(c.latencyMs[fast]!)}, {slow} in {ms(c.latencyMs[slow]!)}
            {c.gateways.some((g) => c.coldStart[g]) && (
              <span className="muted"> ({c.gateways.filter((g) => c.coldStart[g]).join(' and ')} paid the Lambda cold start: whoever calls the function first does)</span>
            )}
          </li>
        )}
      </ul>
      {c.errorBodies && (
        <div className="error-bodies" role="group" aria-label="Error bodies">
          {c.gateways.map((g) => (
            <figure key={g}>
              <figcaption>
                <span className={`tag gw-${g.toLowerCase()}`}>{g}</span> <span className={`status ${statusClass(c.errorBodies![g]!.statusCode)}`}>{c.errorBodies![g]!.statusCode}</span>
              </figcaption>
              <pre className="code" aria-label={`${g} error body`}>
                {c.errorBodies![g]!.body || '(empty body)'}
              </pre>
            </figure>
          ))}
        </div>
      )}
      {notInHttp && (
        <details className="not-in-http">
          <summary>What HTTP APIs do not have ({notInHttp.length})</summary>
          <ul>
            {notInHttp.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

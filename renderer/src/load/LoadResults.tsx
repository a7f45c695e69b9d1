/**
 * The run's totals as the engine counted them (throttled by bucket, cache hits, latency, the
 * run's cost), what a month of the same traffic costs on each gateway type, and the sampled
 * traces to open in the player.
 */
import { dollars, count } from '../compare/format';
import { duration, statusClass } from '../format';
import { useApp } from '../store';

export function LoadResults() {
  const run = useApp((s) => s.loadRun);
  const samples = useApp((s) => s.loadSamples);
  const openInPlayer = useApp((s) => s.openInPlayer);
  const result = run?.finished?.result;
  if (!run || !result) return null;
  const t = result.totals;
  const by = Object.entries(t.throttledBy).filter(([, n]) => (n ?? 0) > 0);
  const monthly = Object.entries(result.monthly.byGateway);
  return (
    <section className="panel load-results" aria-labelledby="results-title">
      <h2 id="results-title">{run.status === 'cancelled' ? 'Until it was cancelled' : 'The run'}</h2>
      <dl className="totals">
        <div>
          <dt>Requests</dt>
          <dd>{t.requests.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Allowed</dt>
          <dd>{t.allowed.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Throttled</dt>
          <dd>
            {t.throttled.toLocaleString('en-US')}
            {by.length > 0 && <span className="muted small"> ({by.map(([k, n]) => `${k} ${n}`).join(', ')})</span>}
          </dd>
        </div>
        {t.quotaExceeded > 0 && (
          <div>
            <dt>Over quota</dt>
            <dd>{t.quotaExceeded.toLocaleString('en-US')}</dd>
          </div>
        )}
        <div>
          <dt>Cache hits</dt>
          <dd>{t.cacheHits + t.cacheMisses > 0 ? `${t.cacheHits.toLocaleString('en-US')} of ${(t.cacheHits + t.cacheMisses).toLocaleString('en-US')}` : '—'}</dd>
        </div>
        <div>
          <dt>Backend calls</dt>
          <dd>{t.integrationCalls.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd>{t.errors.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Latency p50 / p95 / p99</dt>
          <dd>
            {t.latency.p50} / {t.latency.p95} / {t.latency.p99} ms
          </dd>
        </div>
        <div>
          <dt>This run cost</dt>
          <dd>{dollars(t.cost)}</dd>
        </div>
      </dl>
      <h3>A month of this traffic</h3>
      <p className="muted small">
        {count(result.monthly.requestsPerSecond * 730 * 3600)} requests a month ({+result.monthly.requestsPerSecond.toFixed(2)} a second, sustained)
        {result.monthly.cacheSizeGb ? `, with the ${result.monthly.cacheSizeGb} GB stage cache` : ''}:
      </p>
      <ul className="monthly">
        {monthly.map(([g, c]) => (
          <li key={g}>
            <span className={`tag gw-${g.toLowerCase()}`}>{g}</span> <strong>{dollars(c.total)}</strong>
            <span className="muted small"> a month ({dollars(c.perMillion)} per million)</span>
          </li>
        ))}
      </ul>
      {samples.length > 0 && (
        <>
          <h3>Sampled requests</h3>
          <ul className="samples" aria-label="Sampled requests">
            {samples.map((s) => (
              <li key={s.id}>
                <button type="button" className="trace-link" onClick={() => openInPlayer(s, 'load')} aria-label={`Play sampled request ${s.id} in the player`}>
                  <span className={`status ${statusClass(s.response.statusCode)}`}>{s.response.statusCode}</span>
                  <code className="small">{s.request.path}</code>
                  {s.stoppedAt && <span className="small muted">at {s.stoppedAt}</span>}
                  <span className="small muted">{duration(s.durationMs)}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

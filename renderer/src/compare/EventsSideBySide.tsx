/**
 * The Lambda event each side delivered, side by side, as JSON: the keys only one side has are
 * marked (top level and in requestContext), so payload 1.0 vs 2.0 reads at a glance. The engine
 * found the differences; this only lays them out.
 */
import { useState } from 'react';
import type { ComparisonResult } from '../../../engine/api/types';
import type { GatewayType } from '../../../engine/trace/types';

const clean = (keys: readonly string[] | undefined) => new Set((keys ?? []).map((k) => k.replace(/ \(null\)$/, '')));

function indent(text: string, by: string): string {
  return text.replace(/\n/g, `\n${by}`);
}

function Json({ event, only, rcOnly, differing, onlyDiff }: { event: Record<string, unknown>; only: Set<string>; rcOnly: Set<string>; differing: Set<string>; onlyDiff: boolean }) {
  const keys = Object.keys(event);
  const shown = keys.filter((k) => !onlyDiff || only.has(k) || differing.has(k) || k === 'requestContext');
  return (
    <pre className="code event-json">
      {'{\n'}
      {shown.map((k, i) => {
        const comma = i < shown.length - 1 ? ',' : '';
        const v = event[k];
        if (k === 'requestContext' && v && typeof v === 'object' && !Array.isArray(v)) {
          const rc = v as Record<string, unknown>;
          const rcKeys = Object.keys(rc).filter((rk) => !onlyDiff || rcOnly.has(rk));
          return (
            <span key={k}>
              {'  "requestContext": {\n'}
              {rcKeys.map((rk, j) => (
                <span key={rk} className={rcOnly.has(rk) ? 'only-key' : undefined}>
                  {`    ${JSON.stringify(rk)}: ${indent(JSON.stringify(rc[rk], null, 2) ?? 'undefined', '    ')}${j < rcKeys.length - 1 ? ',' : ''}\n`}
                </span>
              ))}
              {onlyDiff && rcKeys.length < Object.keys(rc).length && <span className="muted">{`    … ${Object.keys(rc).length - rcKeys.length} shared keys\n`}</span>}
              {`  }${comma}\n`}
            </span>
          );
        }
        const cls = only.has(k) ? 'only-key' : differing.has(k) ? 'differing-key' : undefined;
        return (
          <span key={k} className={cls}>
            {`  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2) ?? 'undefined', '  ')}${comma}\n`}
          </span>
        );
      })}
      {onlyDiff && shown.length < keys.length && <span className="muted">{`  … ${keys.length - shown.length} shared keys\n`}</span>}
      {'}'}
    </pre>
  );
}

export function EventsSideBySide({ comparison: c }: { comparison: ComparisonResult }) {
  const [onlyDiff, setOnlyDiff] = useState(false);
  const sides = c.lanes.map((l) => l.gateway).filter((g): g is GatewayType => c.events[g] !== undefined);
  const diff = c.comparison.event;
  return (
    <section className="panel events" aria-labelledby="events-title">
      <div className="panel-head">
        <h2 id="events-title">The event your function receives</h2>
        {sides.length > 1 && (
          <label className="check small">
            <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> Only the keys that differ
          </label>
        )}
      </div>
      {sides.length === 0 ? (
        <p className="muted">No Lambda function ran on either side for this request, so there is no event to compare.</p>
      ) : (
        <>
          <p className="muted small">
            Orange: keys only that side’s event has{diff?.differingValues.length ? '; blue: same key, different value' : ''}. One handler behind both APIs must read both shapes.
          </p>
          <div className="events-grid" style={{ gridTemplateColumns: `repeat(${sides.length}, minmax(0, 1fr))` }}>
            {sides.map((g) => (
              <figure key={g} className="event-side" aria-label={`${g} Lambda event`}>
                <figcaption>
                  <span className={`tag gw-${g.toLowerCase()}`}>{g}</span> payload <strong>{diff?.formats[g] ?? String(c.events[g]!.version ?? '1.0')}</strong>
                  <span className="muted small"> · {Object.keys(c.events[g]!).length} keys</span>
                </figcaption>
                <Json
                  event={c.events[g]!}
                  only={clean(diff?.onlyIn[g])}
                  rcOnly={clean(diff?.requestContextOnlyIn[g])}
                  differing={new Set(diff?.differingValues ?? [])}
                  onlyDiff={onlyDiff}
                />
              </figure>
            ))}
          </div>
        </>
      )}
    </section>
  );
}

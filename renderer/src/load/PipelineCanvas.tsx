/**
 * The load simulation as traffic: the stations a request passes (client, throttle, usage-plan
 * quota, stage cache, backend) as boxes with their counts, and over them a canvas where every
 * request of the replayed seconds is a dot (dot-field.ts; its own animation loop, outside React).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LoadSecond } from '../../../engine/api/types';
import { useWidth } from '../shared/use-width';
import { useApp, useAppStore } from '../store';
import { count } from '../compare/format';
import { REPLAY_SPEEDS } from './replay';
import { DotField, type FieldStats } from './dot-field';
import { STATIONS, fieldLayout } from './outcomes';

const HEIGHT = 250;

interface Totals {
  requests: number;
  throttled: number;
  quota: number;
  hits: number;
  misses: number;
  errors: number;
  allowed: number;
}

function sum(seconds: readonly LoadSecond[]): Totals {
  const t: Totals = { requests: 0, throttled: 0, quota: 0, hits: 0, misses: 0, errors: 0, allowed: 0 };
  for (const p of seconds) {
    t.requests += p.requests;
    t.throttled += p.throttled;
    t.quota += p.quotaExceeded;
    t.hits += p.cacheHits;
    t.misses += p.cacheMisses;
    t.errors += p.errors;
    t.allowed += p.allowed;
  }
  return t;
}

function readColors(el: Element) {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim() || '#888';
  return { fates: [v('--ok'), v('--shortcut'), v('--bad'), v('--warn'), v('--violet')], inbound: v('--packet-request') };
}

export function PipelineCanvas() {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const field = useRef<DotField | null>(null);
  const width = useWidth(wrap, 900);
  const store = useAppStore();
  const theme = useApp((s) => s.theme);
  const speedNow = useApp((s) => s.loadSpeed);
  const setSpeed = useApp((s) => s.setLoadSpeed);
  const run = useApp((s) => s.loadRun);
  const seconds = run?.seconds;
  const totals = useMemo(() => sum(seconds ?? []), [seconds]);
  const [stats, setStats] = useState<FieldStats>({ inFlight: 0, replayed: 0, perDot: 1 });
  const layout = fieldLayout(width, HEIGHT);
  const reduced = useMemo(() => matchMedia('(prefers-reduced-motion: reduce)').matches, []);

  // One DotField for the canvas's life; it follows the store's load run without React renders.
  useEffect(() => {
    if (!canvas.current || reduced) return;
    const f = new DotField(canvas.current, readColors(canvas.current));
    field.current = f;
    f.onStats = (s) => setStats({ ...s });
    let runKey: unknown = null;
    const follow = () => {
      const r = store.getState().loadRun;
      if (!r) {
        if (runKey !== null) f.reset(0, 1);
        runKey = null;
        return;
      }
      if (r.spec !== runKey) {
        runKey = r.spec;
        const peak = r.spec.arrival === 'burst' ? r.spec.ratePerSecond : r.spec.ratePerSecond * (r.spec.arrival === 'poisson' ? 1.2 : 1);
        f.reset(r.spec.durationSeconds, store.getState().loadSpeed, peak);
      }
      f.setSeconds(r.seconds);
    };
    follow();
    const off = store.subscribe((s, prev) => {
      if (s.loadRun !== prev.loadRun) follow();
      if (s.loadSpeed !== prev.loadSpeed) f.setSpeed(s.loadSpeed);
    });
    return () => {
      off();
      f.stop();
      field.current = null;
    };
  }, [store, reduced]);

  useEffect(() => {
    field.current?.resize(width, HEIGHT);
  }, [width]);
  useEffect(() => {
    if (canvas.current) field.current?.setColors(readColors(canvas.current));
  }, [theme]);

  const hasCache = totals.hits + totals.misses > 0;
  const hasQuota = totals.quota > 0 || !!run?.spec.apiKey;
  const boxes: Record<(typeof STATIONS)[number], { title: string; value: string; note: string; dim?: boolean }> = {
    client: { title: 'Client', value: count(totals.requests), note: 'requests sent' },
    throttle: { title: 'Throttle', value: count(totals.throttled), note: '429 throttled' },
    quota: { title: 'Usage plan', value: hasQuota ? count(totals.quota) : '—', note: hasQuota ? 'over quota' : 'no API key sent', dim: !hasQuota },
    cache: { title: 'Stage cache', value: hasCache ? count(totals.hits) : '—', note: hasCache ? `hits · ${count(totals.misses)} misses` : 'no cache on this API', dim: !hasCache },
    backend: { title: 'Backend', value: count(Math.max(0, totals.allowed - totals.hits)), note: totals.errors ? `reached it · ${count(totals.errors)} errors` : 'reached it' },
  };

  return (
    <section className="panel pipeline" aria-labelledby="pipeline-title">
      <div className="panel-head">
        <h2 id="pipeline-title">Requests in flight</h2>
        <p className="muted small flight-caption">
          {run ? (
            <>
              Replaying second <span className="mono">{Math.floor(stats.replayed)}</span> of {run.spec.durationSeconds} ·{' '}
              <span className="in-flight" data-in-flight={stats.inFlight}>
                {stats.inFlight.toLocaleString('en-US')}
              </span>{' '}
              dots in flight · 1 dot = {stats.perDot === 1 ? '1 request' : `${stats.perDot} requests`}
            </>
          ) : (
            'Start a simulation to see its requests flow.'
          )}
        </p>
        <span className="spacer" />
        <label className="speed-field">
          <span className="muted small">Replay</span>
          <select aria-label="Replay speed" value={speedNow} onChange={(e) => setSpeed(Number(e.target.value))}>
            {REPLAY_SPEEDS.map((v) => (
              <option key={v} value={v}>
                {v}×
              </option>
            ))}
          </select>
        </label>
      </div>
      <div ref={wrap} className="pipeline-stage" style={{ height: HEIGHT }}>
        <svg className="pipeline-lanes" width={width} height={HEIGHT} aria-hidden="true">
          <line x1={layout.x[0]} x2={layout.x[4]} y1={layout.yIn} y2={layout.yIn} />
          <line x1={layout.x[0]} x2={layout.x[4]} y1={layout.yOut} y2={layout.yOut} />
          <text x={(layout.x[0]! + layout.x[1]!) / 2} y={layout.yIn - layout.spread - 8} textAnchor="middle">
            request →
          </text>
          <text x={(layout.x[0]! + layout.x[1]!) / 2} y={layout.yOut + layout.spread + 16} textAnchor="middle">
            ← response
          </text>
        </svg>
        <ol className="stations" aria-label="Where the requests went">
          {STATIONS.map((st, i) => {
            const b = boxes[st];
            return (
              <li key={st} className={`station station-${st}${b.dim ? ' dim' : ''}`} style={{ left: layout.x[i], top: HEIGHT / 2 }} aria-label={`${b.title}: ${b.value} ${b.note}`}>
                <span className="station-title">{b.title}</span>
                <span className="station-value">{b.value}</span>
                <span className="station-note">{b.note}</span>
              </li>
            );
          })}
        </ol>
        <canvas ref={canvas} className="dots" style={{ width, height: HEIGHT }} aria-hidden="true" />
        {reduced && <p className="reduced-note muted small">Animation is off (your system asks for reduced motion): the counts and charts tell the same story.</p>}
      </div>
      <ul className="legend" aria-label="Dot colours">
        <li>
          <span className="swatch inbound" /> on its way in
        </li>
        <li>
          <span className="swatch ok" /> answered by the backend
        </li>
        <li>
          <span className="swatch hit" /> cache hit
        </li>
        <li>
          <span className="swatch throttled" /> throttled (429)
        </li>
        <li>
          <span className="swatch quota" /> over quota (429)
        </li>
        <li>
          <span className="swatch error" /> error (4xx/5xx)
        </li>
      </ul>
      <p className="muted small honest">
        The engine simulated every request through the real pipeline; the dots replay its per-second counts: how many arrived each second and how each ended. Their order
        within a second and their speed are the drawing’s.
      </p>
    </section>
  );
}

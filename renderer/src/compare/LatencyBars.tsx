/**
 * Where the time went: each side's steps on one shared time axis (d3 scales, React SVG), so a
 * longer lifecycle or a cold start shows as a longer bar.
 */
import { scaleLinear } from 'd3';
import { useRef } from 'react';
import type { ComparisonResult } from '../../../engine/api/types';
import { stepShortName } from '../diagram/step-facts';
import { useWidth } from '../shared/use-width';
import { ms } from './format';

const ROW = 34;
const LABEL = 120;
const AXIS = 26;

export function LatencyBars({ comparison: c }: { comparison: ComparisonResult }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const max = Math.max(1, ...c.lanes.map((l) => l.trace.durationMs));
  const x = scaleLinear().domain([0, max]).range([LABEL, width - 16]).nice();
  const height = c.lanes.length * ROW + AXIS;
  return (
    <section className="panel latency-bars" aria-labelledby="latency-title">
      <h2 id="latency-title">Where the time went</h2>
      <div ref={box} className="chart-box">
        <svg width={width} height={height} role="img" aria-label={c.lanes.map((l) => `${l.gateway} ${ms(l.trace.durationMs)}`).join(', ')}>
          {x.ticks(6).map((t) => (
            <g key={t} transform={`translate(${x(t)},0)`}>
              <line className="grid" y1={0} y2={height - AXIS + 4} />
              <text className="tick" y={height - 8} textAnchor="middle">
                {t} ms
              </text>
            </g>
          ))}
          {c.lanes.map(({ gateway, trace }, row) => {
            const y = row * ROW + 6;
            return (
              <g key={gateway}>
                <text className="row-label" x={0} y={y + 15}>
                  <tspan className="row-gw">{gateway}</tspan>
                  <tspan className="row-ms" dx={8}>
                    {ms(trace.durationMs)}
                  </tspan>
                </text>
                <rect className="bar-bg" x={x(0)} y={y} width={Math.max(0, x(trace.durationMs) - x(0))} height={ROW - 12} rx={4} />
                {trace.steps
                  .filter((s) => s.outcome !== 'skip' && s.durationMs > 0)
                  .map((s, i) => {
                    const from = x(s.at - trace.startedAt);
                    const w = Math.max(1, x(s.at - trace.startedAt + s.durationMs) - from);
                    const label = stepShortName(s, gateway);
                    return (
                      <g key={`${s.step}-${i}`}>
                        <rect className={`seg phase-${s.phase}`} x={from} y={y} width={w} height={ROW - 12} rx={3}>
                          <title>{`${label}: ${ms(s.durationMs)}`}</title>
                        </rect>
                        {w > label.length * 6.5 + 10 && (
                          <text className="seg-label" x={from + 5} y={y + 15}>
                            {label}
                          </text>
                        )}
                      </g>
                    );
                  })}
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}

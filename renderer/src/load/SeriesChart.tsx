/**
 * A chart of one of the load run's series over simulated time: d3 for the scales, the stacking
 * and the path geometry, React for the SVG. The x axis spans the whole run from the start, so
 * the chart fills from the left as seconds arrive and nothing moves.
 */
import { area, line, scaleLinear, stack } from 'd3';
import { useMemo, useRef } from 'react';
import type { LoadSecond } from '../../../engine/api/types';
import { useWidth } from '../shared/use-width';

export interface Series {
  readonly key: string;
  readonly label: string;
  /** The class that colours it (`s-ok`, `s-hit`...). */
  readonly tone: string;
  readonly value: (p: LoadSecond) => number;
  readonly dashed?: boolean;
}

const M = { top: 10, right: 14, bottom: 24, left: 52 };
const HEIGHT = 180;

export function SeriesChart({
  title,
  points,
  duration,
  series,
  stacked = false,
  cumulative = false,
  format,
  summary,
}: {
  title: string;
  points: readonly LoadSecond[];
  duration: number;
  series: readonly Series[];
  stacked?: boolean;
  /** Plot the running total (cost so far) instead of each interval's value. */
  cumulative?: boolean;
  format: (n: number) => string;
  summary: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 360);
  const id = title.replace(/\W+/g, '-').toLowerCase();
  const geometry = useMemo(() => {
    const x = scaleLinear()
      .domain([0, Math.max(1, duration)])
      .range([M.left, width - M.right]);
    const values = series.map((s) => {
      let acc = 0;
      return points.map((p) => (cumulative ? (acc += s.value(p)) : s.value(p)));
    });
    const xs = points.map((p) => p.second);
    let max = 0;
    let paths: { key: string; d: string; tone: string; dashed?: boolean; fill: boolean }[];
    if (stacked) {
      const rows = points.map((_, i) => Object.fromEntries(series.map((s, k) => [s.key, values[k]![i]!])));
      const layers = stack<Record<string, number>>().keys(series.map((s) => s.key))(rows);
      for (const l of layers) for (const d of l) max = Math.max(max, d[1]);
      const y = scaleLinear().domain([0, max || 1]).nice().range([HEIGHT - M.bottom, M.top]);
      const a = area<[number, number]>()
        .x((_, i) => x(xs[i]!))
        .y0((d) => y(d[0]))
        .y1((d) => y(d[1]));
      paths = layers.map((l, k) => ({ key: series[k]!.key, d: a(l as unknown as [number, number][]) ?? '', tone: series[k]!.tone, fill: true }));
      return { x, y, paths };
    }
    for (const v of values) for (const n of v) max = Math.max(max, n);
    const y = scaleLinear().domain([0, max || 1]).nice().range([HEIGHT - M.bottom, M.top]);
    const l = line<number>()
      .x((_, i) => x(xs[i]!))
      .y((n) => y(n));
    paths = series.map((s, k) => ({ key: s.key, d: l(values[k]!) ?? '', tone: s.tone, ...(s.dashed ? { dashed: true } : {}), fill: false }));
    return { x, y, paths };
  }, [points, duration, series, stacked, cumulative, width]);
  const { x, y, paths } = geometry;
  return (
    <figure className="chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`}>
        <span className="chart-title">{title}</span>
        <ul className="chart-keys">
          {series.map((s) => (
            <li key={s.key}>
              <span className={`key ${s.tone}${s.dashed ? ' dashed' : ''}`} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <div ref={box} className="chart-box">
        <svg width={width} height={HEIGHT} role="img" aria-label={`${title}: ${summary}`} data-points={points.length}>
          {y.ticks(4).map((t) => (
            <g key={t} transform={`translate(0,${y(t)})`}>
              <line className="grid" x1={M.left} x2={width - M.right} />
              <text className="tick" x={M.left - 6} dy="0.32em" textAnchor="end">
                {format(t)}
              </text>
            </g>
          ))}
          {x.ticks(Math.max(2, Math.floor(width / 90))).map((t) => (
            <text key={t} className="tick" x={x(t)} y={HEIGHT - 6} textAnchor="middle">
              {t}s
            </text>
          ))}
          <line className="axis" x1={M.left} x2={width - M.right} y1={HEIGHT - M.bottom} y2={HEIGHT - M.bottom} />
          {paths.map((p) => (
            <path key={p.key} className={`series ${p.tone}${p.fill ? ' filled' : ''}${p.dashed ? ' dashed' : ''}`} d={p.d} />
          ))}
          {points.length === 0 && (
            <text className="chart-empty" x={(M.left + width - M.right) / 2} y={HEIGHT / 2} textAnchor="middle">
              No data yet
            </text>
          )}
        </svg>
      </div>
    </figure>
  );
}

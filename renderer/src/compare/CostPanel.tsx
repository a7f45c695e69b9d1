/**
 * What a month of traffic costs on each side: choose the volume (a log scale from a hundred
 * thousand to a hundred billion requests a month) and the payload size; the engine prices it
 * tier by tier (services/cost.ts), REST stage cache hours included when the stage has one.
 */
import { scaleLinear, scaleLog } from 'd3';
import { useId } from 'react';
import type { ComparisonResult } from '../../../engine/api/types';
import type { GatewayType } from '../../../engine/trace/types';
import { useApp } from '../store';
import { count, dollars } from './format';

const STEPS = 1000;
const volume = scaleLog().domain([1e5, 1e11]).range([0, STEPS]);
const SECONDS_PER_MONTH = 730 * 3600;
const SIZES: readonly [number, string][] = [
  [1024, '1 KB'],
  [32 * 1024, '32 KB'],
  [256 * 1024, '256 KB'],
  [600 * 1024, '600 KB'],
  [1024 * 1024, '1 MB'],
];

export function CostPanel({ comparison: c }: { comparison: ComparisonResult }) {
  const traffic = useApp((s) => s.traffic);
  const setTraffic = useApp((s) => s.setTraffic);
  const estimate = useApp((s) => s.costEstimate);
  const id = useId();
  const gateways = c.lanes.map((l) => l.gateway);
  const rows = gateways.map((g) => ({ g, cost: estimate?.byGateway[g] })).filter((r): r is { g: GatewayType; cost: NonNullable<typeof r.cost> } => !!r.cost);
  const max = Math.max(0.01, ...rows.map((r) => r.cost.total));
  // Bars in percent of the column: the widest is the dearest side.
  const x = scaleLinear().domain([0, max]).range([0, 100]);
  const cheapest = estimate?.cheapest;
  const dearest = rows.length > 1 ? rows.reduce((a, b) => (b.cost.total > a.cost.total ? b : a)) : undefined;
  const saving = cheapest && dearest && dearest.g !== cheapest ? (estimate?.moreThanCheapest[dearest.g] ?? 0) : 0;
  return (
    <section className="panel cost" aria-labelledby="cost-title">
      <h2 id="cost-title">What it costs</h2>
      <div className="cost-controls">
        <label htmlFor={`${id}-v`} className="volume-label">
          <span className="eyebrow">Traffic</span>
          <strong>{count(traffic.requestsPerMonth)} requests a month</strong>
          <span className="muted small"> · about {count(traffic.requestsPerMonth / SECONDS_PER_MONTH)} a second</span>
        </label>
        <input
          id={`${id}-v`}
          type="range"
          min={0}
          max={STEPS}
          step={1}
          value={Math.round(volume(traffic.requestsPerMonth))}
          aria-valuetext={`${count(traffic.requestsPerMonth)} requests a month`}
          onChange={(e) => setTraffic({ requestsPerMonth: roundVolume(volume.invert(Number(e.target.value))) })}
        />
        <div className="cost-options">
          <label>
            <span className="muted small">Average payload </span>
            <select value={traffic.averageBytes} onChange={(e) => setTraffic({ averageBytes: Number(e.target.value) })} aria-label="Average payload size">
              {SIZES.map(([b, label]) => (
                <option key={b} value={b}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          {c.cacheSizeGb && gateways.includes('REST') && (
            <label className="check small">
              <input type="checkbox" checked={traffic.includeCache} onChange={(e) => setTraffic({ includeCache: e.target.checked })} /> Include the REST stage cache (
              {c.cacheSizeGb} GB{estimate?.cacheHourly !== undefined ? `, ${dollars(estimate.cacheHourly)} an hour` : ''})
            </label>
          )}
        </div>
      </div>
      <div className="cost-table-wrap">
        <table className="cost-table">
          <thead>
            <tr>
              <th scope="col">API</th>
              <th scope="col">Per million</th>
              <th scope="col">Per month</th>
              <th scope="col" className="bar-col">
                <span className="visually-hidden">Monthly cost as a bar</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ g, cost }) => (
              <tr key={g} className={g === cheapest ? 'cheapest' : undefined}>
                <th scope="row">
                  <span className={`tag gw-${g.toLowerCase()}`}>{g}</span>
                </th>
                <td aria-label={`${g} per million requests`}>{dollars(cost.perMillion)}</td>
                <td aria-label={`${g} per month`}>
                  <strong>{dollars(cost.total)}</strong>
                  {cost.cacheCost > 0 && <span className="muted small"> incl. cache {dollars(cost.cacheCost)}</span>}
                  {cost.billedUnits !== cost.requests && <span className="muted small"> · {count(cost.billedUnits)} billed units</span>}
                </td>
                <td className="bar-col">
                  <span className="cost-bar-track" aria-hidden="true">
                    <span className={`cost-bar gw-${g.toLowerCase()}`} style={{ width: `${x(cost.total)}%` }} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="verdict" aria-live="polite">
        {estimate && cheapest && dearest && saving > 0 ? (
          <>
            <strong>{cheapest}</strong> costs <strong aria-label="Monthly difference">{dollars(saving)}</strong> less a month than {dearest.g} (
            {Math.round((saving / dearest.cost.total) * 100)}% less) at this traffic.
          </>
        ) : estimate ? (
          'The same price on every side at this traffic.'
        ) : (
          'Pricing…'
        )}
      </p>
      <p className="muted small">us-east-1 on-demand prices, free tier excluded; requests the gateway throttles or refuses for authentication are not billed.</p>
    </section>
  );
}

/** Two significant digits: the slider's steps land on round volumes (10 million, 2.5 billion). */
function roundVolume(v: number): number {
  const mag = 10 ** Math.floor(Math.log10(v));
  return Math.round(v / (mag / 10)) * (mag / 10);
}

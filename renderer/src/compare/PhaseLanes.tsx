/**
 * The lifecycles side by side, one row per phase (the boxes of the player's diagram), one column
 * per gateway type: the steps each ran in that phase, and the ones only one side has, marked.
 */
import type { ComparisonResult } from '../../../engine/api/types';
import type { GatewayType, Phase } from '../../../engine/trace/types';
import { stepName } from '../diagram/step-facts';
import { ms } from './format';

const PHASE_NAMES: Readonly<Record<Phase, string>> = {
  connection: 'Arrival',
  routing: 'Routing',
  throttling: 'Throttling',
  authorization: 'Authorization',
  apiKey: 'API key',
  validation: 'Validation',
  cache: 'Cache',
  integrationRequest: 'Integration request',
  integration: 'Integration',
  integrationResponse: 'Integration response',
  methodResponse: 'Method response',
  gatewayResponse: 'Gateway response',
} as Record<Phase, string>;

export function phaseName(p: Phase): string {
  return PHASE_NAMES[p] ?? p.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

export function PhaseLanes({ comparison: { comparison: c } }: { comparison: ComparisonResult }) {
  const onlyHere = (g: GatewayType, step: string) => c.onlyOneSide.some((o) => o.gateway === g && o.step === step);
  return (
    <section className="panel phase-lanes" aria-labelledby="lanes-title">
      <h2 id="lanes-title">The lifecycles, phase by phase</h2>
      <table className="lanes-table">
        <thead>
          <tr>
            <th scope="col" className="phase-col">
              Phase
            </th>
            {c.gateways.map((g) => (
              <th key={g} scope="col">
                <span className={`tag gw-${g.toLowerCase()}`}>{g}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {c.lanes.map((lane) => {
            const differs = c.gateways.some((g) => (lane.steps[g] ?? []).some((s) => onlyHere(g, s.step)));
            return (
              <tr key={lane.phase} className={differs ? 'differs' : undefined}>
                <th scope="row" className="phase-col">
                  {phaseName(lane.phase)}
                </th>
                {c.gateways.map((g) => {
                  const steps = lane.steps[g] ?? [];
                  return (
                    <td key={g} aria-label={`${g}, ${phaseName(lane.phase)}`}>
                      {steps.length === 0 ? (
                        <span className="absent">not in this lifecycle</span>
                      ) : (
                        <ul className="lane-steps">
                          {steps.map((s) => {
                            const only = onlyHere(g, s.step);
                            return (
                              <li key={s.step} className={`lane-step outcome-${s.outcome}${only ? ' only' : ''}`} title={s.summary}>
                                <span className="lane-step-head">
                                  <span className={`dot outcome-${s.outcome}`} aria-hidden="true" />
                                  <strong>{stepName(s, g)}</strong>
                                  {only && <span className="tag only-tag">only {g}</span>}
                                  {s.outcome === 'skip' && <span className="muted small">skipped</span>}
                                  <span className="spacer" />
                                  {s.durationMs > 0 && <span className="muted small">{ms(s.durationMs)}</span>}
                                </span>
                                <span className="lane-step-summary">{s.summary}</span>
                              </li>
                            );
                          })}
                        </ul>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

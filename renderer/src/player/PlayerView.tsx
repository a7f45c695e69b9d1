/**
 * The lifecycle player: the scenario's steps on the left; the diagram with its transport in the
 * middle; under it the step inspector and the log, services and response panels.
 */
import { Composer } from '../composer/Composer';
import { LifecycleDiagram } from '../diagram/LifecycleDiagram';
import { Inspector } from '../inspector/Inspector';
import { SidePanel } from '../inspector/SidePanel';
import { useClock, usePlaybackClock } from '../playback/use-clock';
import { useApp } from '../store';
import { PredictCard } from './PredictCard';
import { ScenarioRail } from './ScenarioRail';
import { StageHeader } from './StageHeader';
import { TraceSteps } from './TraceSteps';
import { Transport } from './Transport';
import { usePlaybackKeys } from './use-keyboard';
import { useTimelineLoader } from './use-timeline';

export function PlayerView() {
  const clock = usePlaybackClock();
  useTimelineLoader();
  // Render the clock's own timeline: its frame always belongs to it, even in the render where a
  // new trace was selected and the clock has not loaded it yet.
  const timeline = useClock((s) => s.timeline);
  const composerOpen = useApp((s) => s.composerOpen);
  const pendingPredict = useApp((s) => s.pendingPredict);
  usePlaybackKeys(clock, timeline !== null);

  return (
    <div className="player">
      <ScenarioRail />
      <main className="stage" aria-label="Lifecycle player">
        <StageHeader timeline={timeline} />
        <div className="diagram-wrap">
          {timeline ? <LifecycleDiagram timeline={timeline} /> : <EmptyStage />}
          {pendingPredict !== null && <PredictCard stepIndex={pendingPredict} />}
        </div>
        <Transport timeline={timeline} />
        <TraceSteps timeline={timeline} />
        <div className="panels">
          <Inspector timeline={timeline} />
          <SidePanel timeline={timeline} />
        </div>
      </main>
      {composerOpen && <Composer />}
    </div>
  );
}

function EmptyStage() {
  const nextStep = useApp((s) => s.nextStep);
  const steps = useApp((s) => s.session?.steps.length ?? 0);
  return (
    <div className="empty-stage">
      <p className="big">{steps > 0 && nextStep === 1 ? 'Press Run to send the first request.' : steps === 0 ? 'This API has no scripted steps: compose a request.' : 'Pick a request on the left, or run the next step.'}</p>
      <p className="muted">
        The request will travel through API Gateway box by box. Space plays and pauses, ← and → step, Home and End jump.
      </p>
    </div>
  );
}

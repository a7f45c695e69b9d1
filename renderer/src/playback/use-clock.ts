/**
 * React's view of the playback clock: a selector over its state, re-rendering only when the
 * selected value changes (Object.is). Select small values (the step index, playing), never the
 * frame itself, or the component re-renders sixty times a second.
 */
import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import type { ClockState, PlaybackClock } from './clock';

export const ClockContext = createContext<PlaybackClock | null>(null);

export function usePlaybackClock(): PlaybackClock {
  const clock = useContext(ClockContext);
  if (!clock) throw new Error('usePlaybackClock outside <ClockContext.Provider>');
  return clock;
}

export function useClock<T>(selector: (s: ClockState) => T): T {
  const clock = usePlaybackClock();
  return useSyncExternalStore(clock.subscribe, () => selector(clock.getState()));
}

/** Run `onFrame` on every clock change, outside React's render (for direct DOM writes). */
export function useClockFrames(onFrame: (s: ClockState) => void): void {
  const clock = usePlaybackClock();
  useEffect(() => {
    onFrame(clock.getState());
    return clock.subscribe(onFrame);
  }, [clock, onFrame]);
}

/** How fast the load canvas replays simulated seconds. */
export const REPLAY_SPEEDS = [1, 2, 5, 10, 30, 60] as const;

/** A replay that lasts about half a minute, whatever the simulated duration. */
export function defaultSpeed(durationSeconds: number): number {
  const want = durationSeconds / 30;
  return REPLAY_SPEEDS.find((s) => s >= want) ?? REPLAY_SPEEDS[REPLAY_SPEEDS.length - 1]!;
}

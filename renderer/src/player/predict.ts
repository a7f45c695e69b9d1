/** Predictions: pure helpers (unit-tested). */

/** Whether a chosen answer agrees with the scenario's answer (it starts with the choice). */
export function choiceMatches(choice: string, answer: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9{}":]+/g, ' ').trim();
  return norm(answer).startsWith(norm(choice));
}

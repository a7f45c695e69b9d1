/** Which commands start their Node with the live endpoint's heap flags (main/cli/live-heap.mjs). */
import { describe, expect, it } from 'vitest';
import { LIVE_NODE_FLAGS, needsLiveHeap } from '../../main/cli/live-heap.mjs';

describe('the live endpoint heap', () => {
  it('is asked for by the commands that host the live endpoint, once', () => {
    expect(LIVE_NODE_FLAGS).toEqual(['--max-semi-space-size=32']);
    for (const cmd of ['serve', 'web', 'start']) expect(needsLiveHeap([cmd, 'x.yaml'], [])).toBe(true);
    for (const cmd of ['run', 'check', 'vtl', 'export', 'index', 'help']) expect(needsLiveHeap([cmd], [])).toBe(false);
    expect(needsLiveHeap([], [])).toBe(false);
    // Already started with it (the child, or a user's own flag): no second start.
    expect(needsLiveHeap(['serve'], ['--max-semi-space-size=64'])).toBe(false);
  });
});

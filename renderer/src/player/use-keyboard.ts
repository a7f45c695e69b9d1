/**
 * Playback keys: space plays or pauses, ← and → step, Home and End jump. They are ignored while
 * typing in a field or when a dialog is open, so the composer and the search box keep their keys.
 * The listener captures, so a focused button in the stage does not also click on space.
 */
import { useEffect } from 'react';
import { isTyping } from '../nav/views';
import type { PlaybackClock } from '../playback/clock';

export function usePlaybackKeys(clock: PlaybackClock, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (isTyping(e.target) || document.querySelector('dialog[open]')) return;
      // Tabs move between themselves with the arrows.
      if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && e.target instanceof HTMLElement && e.target.closest('[role="tablist"]')) return;
      // Space on a focused button clicks it, except in the player's stage (transport, step chips,
      // diagram boxes), where space plays and pauses as in any media player; Enter still clicks.
      if (e.key === ' ' && e.target instanceof HTMLElement && e.target.closest('button, [role="button"]') && !e.target.closest('.stage')) return;
      switch (e.key) {
        case ' ':
          clock.toggle();
          break;
        case 'ArrowRight':
          clock.step(1);
          break;
        case 'ArrowLeft':
          clock.step(-1);
          break;
        case 'Home':
          clock.home();
          break;
        case 'End':
          clock.end();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [clock, enabled]);
}

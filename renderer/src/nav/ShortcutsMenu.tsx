/** The keyboard shortcuts, listed in a small popover from the top bar. */
import { useEffect, useRef } from 'react';
import { KeyboardIcon } from '../ui/icons';
import { VIEWS } from './views';

const PLAYER_KEYS: readonly [string, string][] = [
  ['Space', 'play or pause'],
  ['← →', 'step back or forward'],
  ['Home End', 'first or last step'],
];

export function ShortcutsMenu() {
  const details = useRef<HTMLDetailsElement>(null);
  // Escape or a click elsewhere closes it, as a menu would.
  useEffect(() => {
    const close = (e: Event) => {
      const d = details.current;
      if (!d?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !d.contains(e.target as Node)) d.open = false;
    };
    window.addEventListener('keydown', close);
    window.addEventListener('pointerdown', close);
    return () => {
      window.removeEventListener('keydown', close);
      window.removeEventListener('pointerdown', close);
    };
  }, []);
  return (
    <details ref={details} className="shortcuts">
      <summary className="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts">
        <KeyboardIcon />
      </summary>
      <div className="shortcuts-panel" role="group" aria-label="Keyboard shortcuts">
        <h2>Keyboard shortcuts</h2>
        <dl>
          {VIEWS.map((v) => (
            <div key={v.view}>
              <dt>
                <kbd>{v.key}</kbd>
              </dt>
              <dd>{v.label}</dd>
            </div>
          ))}
        </dl>
        <h3>In the player</h3>
        <dl>
          {PLAYER_KEYS.map(([k, what]) => (
            <div key={k}>
              <dt>
                {k.split(' ').map((part) => (
                  <kbd key={part}>{part}</kbd>
                ))}
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <p className="muted small">Shortcuts wait while you type in a field.</p>
      </div>
    </details>
  );
}

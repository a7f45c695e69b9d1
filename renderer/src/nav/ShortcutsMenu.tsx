/** The keyboard shortcuts, listed in a small popover from the top bar. */
import { useEffect, useId, useRef, useState } from 'react';
import { KeyboardIcon } from '../ui/icons';
import { VIEWS } from './views';

const PLAYER_KEYS: readonly [string, string][] = [
  ['Space', 'play or pause'],
  ['← →', 'step back or forward'],
  ['Home End', 'first or last step'],
];

export function ShortcutsMenu() {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  // Escape or a click elsewhere closes it, as a menu would.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onDown = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown);
    };
  }, [open]);
  return (
    <div ref={box} className="shortcuts">
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        <KeyboardIcon />
      </button>
      {open && (
        <div id={id} className="shortcuts-panel" role="group" aria-label="Keyboard shortcuts">
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
      )}
    </div>
  );
}

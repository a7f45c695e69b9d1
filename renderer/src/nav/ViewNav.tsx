/**
 * The navigation between the app's views: Library, Player, Compare, Load, Live, Playground. Each
 * is a button with its shortcut (digits 1 to 6, outside text fields) and what it answers as its
 * description; the current one is marked aria-current. The Player needs an open scenario.
 */
import { useEffect } from 'react';
import { useApp } from '../store';
import { VIEWS, isTyping } from './views';

export function ViewNav() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const hasSession = useApp((s) => s.session !== null);
  useViewKeys();
  return (
    <nav className="view-nav" aria-label="Views">
      {VIEWS.map((v) => {
        const disabled = v.view === 'player' && !hasSession;
        return (
          <button
            key={v.view}
            type="button"
            className="view-tab"
            aria-current={view === v.view ? 'page' : undefined}
            aria-keyshortcuts={v.key}
            title={disabled ? 'Open a scenario first' : `${v.answers} (${v.key})`}
            disabled={disabled}
            onClick={() => setView(v.view)}
          >
            {v.label}
          </button>
        );
      })}
    </nav>
  );
}

function useViewKeys(): void {
  const setView = useApp((s) => s.setView);
  const hasSession = useApp((s) => s.session !== null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (isTyping(e.target) || document.querySelector('dialog[open]')) return;
      const v = VIEWS.find((x) => x.key === e.key);
      if (!v || (v.view === 'player' && !hasSession)) return;
      e.preventDefault();
      setView(v.view);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView, hasSession]);
}

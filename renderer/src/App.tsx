/**
 * The app's frame: the top bar, the connection and error banners, and the two views: the
 * scenario library and the player.
 */
import { ErrorBanner } from './ErrorBanner';
import { LibraryView } from './library/LibraryView';
import { PlayerView } from './player/PlayerView';
import { useApp } from './store';
import { BackIcon, MoonIcon, SunIcon } from './ui/icons';

export function App() {
  const view = useApp((s) => s.view);
  const hasSession = useApp((s) => s.session !== null);
  const disconnected = useApp((s) => s.disconnected);
  return (
    <div className="app">
      <TopBar />
      {disconnected && (
        <div className="banner" role="alert">
          The connection to Gateway Lab was lost. Start it again, then reload this page.
        </div>
      )}
      <ErrorBanner />
      {view === 'player' && hasSession ? <PlayerView /> : <LibraryView />}
    </div>
  );
}

function TopBar() {
  const host = useApp((s) => s.host);
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const title = useApp((s) => s.session?.scenario.title);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <header className="topbar">
      <span className="brand">
        <svg className="logo" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M3 7h7l3 5-3 5H3" />
          <path d="M21 7h-5l-3 5 3 5h5" />
        </svg>
        Gateway Lab
      </span>
      {view === 'player' && title ? (
        <button type="button" className="ghost nav" onClick={() => setView('library')}>
          <BackIcon /> Library
        </button>
      ) : title ? (
        <button type="button" className="ghost nav" onClick={() => setView('player')}>
          Back to {title}
        </button>
      ) : null}
      <span className="spacer" />
      {host && (
        <span className="host">
          {host.host === 'electron' ? 'Desktop' : 'Browser'} · simulates {host.gateways.map((g) => (g === 'WEBSOCKET' ? 'WebSocket' : g)).join(', ')} APIs · v{host.appVersion}
        </span>
      )}
      <button type="button" className="icon-button" aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`} onClick={() => setTheme(next)}>
        {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
      </button>
    </header>
  );
}

/**
 * The app's frame: the top bar with the navigation between views, the connection and error
 * banners, and the view on screen: the scenario library, the player, and the compare, load,
 * live and playground views.
 */
import { ErrorBanner } from './ErrorBanner';
import { CompareView } from './compare/CompareView';
import { LibraryView } from './library/LibraryView';
import { LiveView } from './live/LiveView';
import { LoadView } from './load/LoadView';
import { ShortcutsMenu } from './nav/ShortcutsMenu';
import { ViewNav } from './nav/ViewNav';
import { PlayerView } from './player/PlayerView';
import { PlaygroundView } from './playground/PlaygroundView';
import { useApp } from './store';
import { MoonIcon, SunIcon } from './ui/icons';

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
      {view === 'player' && hasSession ? (
        <PlayerView />
      ) : view === 'compare' ? (
        <CompareView />
      ) : view === 'load' ? (
        <LoadView />
      ) : view === 'live' ? (
        <LiveView />
      ) : view === 'playground' ? (
        <PlaygroundView />
      ) : (
        <LibraryView />
      )}
    </div>
  );
}

function TopBar() {
  const host = useApp((s) => s.host);
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
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
      <ViewNav />
      <span className="spacer" />
      {host && (
        <span className="host" title={`simulates ${host.gateways.map((g) => (g === 'WEBSOCKET' ? 'WebSocket' : g)).join(', ')} APIs`}>
          {host.host === 'electron' ? 'Desktop' : 'Browser'} · v{host.appVersion}
        </span>
      )}
      <ShortcutsMenu />
      <button type="button" className="icon-button" aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`} onClick={() => setTheme(next)}>
        {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
      </button>
    </header>
  );
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectGatewayApi } from './api/connect';
import { App } from './App';
import { PlaybackClock } from './playback/clock';
import { ClockContext } from './playback/use-clock';
import { StoreContext, createAppStore } from './store';
import './styles/tokens.css';
import './styles/app.css';
import './styles/library.css';
import './styles/player.css';
import './styles/inspector.css';
import './styles/views.css';

const store = createAppStore(connectGatewayApi());
const clock = new PlaybackClock();
void store.getState().init();

// The theme lives on <html> so every surface, dialogs included, follows it.
const applyTheme = (theme: string) => (document.documentElement.dataset.theme = theme);
applyTheme(store.getState().theme);
store.subscribe((s, prev) => {
  if (s.theme !== prev.theme) applyTheme(s.theme);
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <ClockContext.Provider value={clock}>
        <App />
      </ClockContext.Provider>
    </StoreContext.Provider>
  </StrictMode>,
);

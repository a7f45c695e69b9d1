import type { Slice, Theme, UiSlice } from './types';

const THEME_KEY = 'gateway-lab.theme';

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage may be off; fall back to the system's preference.
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const createUiSlice: Slice<UiSlice> =
  ({ api, attempt }) =>
  (set, get) => ({
    host: null,
    view: 'library',
    theme: initialTheme(),
    sideTab: 'log',
    composerOpen: false,
    error: null,
    busy: false,
    disconnected: false,

    async init() {
      api.on('connection', ({ state }) => set({ disconnected: state === 'closed' }));
      api.on('scenarioAdded', () => void get().refreshScenarios());
      const host = await attempt(api.hostInfo());
      if (host) set({ host });
      await get().refreshScenarios();
    },

    setView: (view) => set({ view }),
    setTheme(theme) {
      set({ theme });
      try {
        localStorage.setItem(THEME_KEY, theme);
      } catch {
        // Not remembered; still applied.
      }
    },
    setSideTab: (sideTab) => set({ sideTab }),
    setComposerOpen: (composerOpen) => set({ composerOpen }),
    dismissError: () => set({ error: null }),
  });

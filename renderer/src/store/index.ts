/**
 * The page's state: one zustand store made of slices (library, session, ui, and one per view:
 * compare, load, live, playground). Components read it
 * with atomic selectors (`useApp((s) => s.busy)`), so each re-renders only for what it shows.
 * Everything gateway-related comes from GatewayApi calls; the renderer only shows what the
 * engine returned. The playback clock lives outside the store (playback/clock.ts): it changes
 * sixty times a second and must not re-render React.
 */
import { createContext, useContext } from 'react';
import { create, useStore } from 'zustand';
import type { ApiResult, GatewayApi, SessionInfo } from '../../../engine/api/types';
import { createCompareSlice } from './compare-slice';
import { createLibrarySlice } from './library-slice';
import { createLiveSlice } from './live-slice';
import { createLoadSlice } from './load-slice';
import { createPlaygroundSlice } from './playground-slice';
import { createSessionSlice } from './session-slice';
import type { AppState, SliceContext } from './types';
import { createUiSlice } from './ui-slice';

export function createAppStore(api: GatewayApi) {
  return create<AppState>()((set, get, store) => {
    const resets: ((session: SessionInfo | null) => Partial<AppState>)[] = [];
    const ctx: SliceContext = {
      onSessionChange: (reset) => void resets.push(reset),
      sessionResets: (session) => Object.assign({}, ...resets.map((r) => r(session))) as Partial<AppState>,
      api,
      async attempt<T>(p: Promise<ApiResult<T>>): Promise<T | null> {
        const r = await p;
        if (r.ok) return r.value;
        if (r.error.code !== 'cancelled') set({ error: r.error });
        return null;
      },
      async busy<T>(fn: () => Promise<T>): Promise<T> {
        set({ busy: true, error: null });
        try {
          return await fn();
        } finally {
          set({ busy: false });
        }
      },
    };
    return {
      ...createLibrarySlice(ctx)(set, get, store),
      ...createSessionSlice(ctx)(set, get, store),
      ...createUiSlice(ctx)(set, get, store),
      ...createCompareSlice(ctx)(set, get, store),
      ...createLoadSlice(ctx)(set, get, store),
      ...createLiveSlice(ctx)(set, get, store),
      ...createPlaygroundSlice(ctx)(set, get, store),
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside <StoreContext.Provider>');
  return store;
}

/** An atomic selector on the app store. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

export type { AppState, TraceEntry } from './types';

import { NO_FILTER } from '../library/filter';
import type { LibrarySlice, Slice } from './types';

export const createLibrarySlice: Slice<LibrarySlice> =
  ({ api, attempt, busy }) =>
  (set, get) => ({
    scenarios: [],
    filter: NO_FILTER,

    setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),

    async refreshScenarios() {
      const scenarios = await attempt(api.listScenarios());
      if (scenarios) set({ scenarios });
    },

    openDialog: () =>
      busy(async () => {
        const added = await attempt(api.openScenarioDialog());
        if (added) await get().refreshScenarios();
      }),

    openText: (name, text) =>
      busy(async () => {
        const added = await attempt(api.openScenarioText({ name, text }));
        if (added) await get().refreshScenarios();
      }),
  });

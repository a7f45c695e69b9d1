/** The main window remembers its size, position and maximized state across runs. */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

const DEFAULT: WindowState = { width: 1280, height: 820, maximized: false };

export function loadWindowState(dir: string, displays: readonly { workArea: Rectangle }[]): WindowState {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, 'window-state.json'), 'utf8')) as Partial<WindowState>;
    const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    if (!num(raw.width) || !num(raw.height)) return DEFAULT;
    const state: WindowState = {
      width: Math.max(800, Math.min(raw.width, 10000)),
      height: Math.max(560, Math.min(raw.height, 10000)),
      maximized: raw.maximized === true,
    };
    // Keep the position only if the window would still be on a screen.
    if (num(raw.x) && num(raw.y)) {
      const { x, y } = raw;
      const visible = displays.some(({ workArea: a }) => x + 100 > a.x && y + 40 > a.y && x < a.x + a.width - 100 && y < a.y + a.height - 40);
      if (visible) Object.assign(state, { x, y });
    }
    return state;
  } catch {
    return DEFAULT;
  }
}

export function trackWindowState(win: BrowserWindow, dir: string): void {
  const save = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state: WindowState = { width: b.width, height: b.height, x: b.x, y: b.y, maximized: win.isMaximized() };
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'window-state.json'), JSON.stringify(state));
    } catch {
      // Not remembering the size is no reason to fail.
    }
  };
  win.on('close', save);
}

/** The app's views as the navigation lists them, with their shortcut keys and what each answers. */
import type { View } from '../store/types';

export interface ViewInfo {
  readonly view: View;
  readonly label: string;
  /** The digit that opens it (outside text fields). */
  readonly key: string;
  readonly answers: string;
}

export const VIEWS: readonly ViewInfo[] = [
  { view: 'library', label: 'Library', key: '1', answers: 'Scenarios to open' },
  { view: 'player', label: 'Player', key: '2', answers: 'Every step of one request' },
  { view: 'compare', label: 'Compare', key: '3', answers: 'REST or HTTP for my API?' },
  { view: 'load', label: 'Load', key: '4', answers: 'What happens at 5,000 requests a second?' },
  { view: 'live', label: 'Live', key: '5', answers: 'What is my real client sending?' },
  { view: 'playground', label: 'Playground', key: '6', answers: 'Why does my template print that?' },
];

/** Typing in a field keeps its keys: shortcuts are for the page. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['button', 'checkbox', 'radio'].includes((target as HTMLInputElement).type);
  return false;
}

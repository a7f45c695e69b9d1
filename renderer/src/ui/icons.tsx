/** Small line icons (24-unit grid, currentColor), decorative: controls carry their own names. */
import type { ReactNode } from 'react';

function Icon({ children, size = 18 }: { children: ReactNode; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const PlayIcon = () => (
  <Icon>
    <path d="M7 4.5v15l12-7.5z" fill="currentColor" />
  </Icon>
);
export const PauseIcon = () => (
  <Icon>
    <path d="M8 5v14M16 5v14" strokeWidth={3} />
  </Icon>
);
export const StepForwardIcon = () => (
  <Icon>
    <path d="M6 5l9 7-9 7z" fill="currentColor" />
    <path d="M18 5v14" />
  </Icon>
);
export const StepBackIcon = () => (
  <Icon>
    <path d="M18 5l-9 7 9 7z" fill="currentColor" />
    <path d="M6 5v14" />
  </Icon>
);
export const HomeIcon = () => (
  <Icon>
    <path d="M19 5l-7 7 7 7M12 5l-7 7 7 7" />
  </Icon>
);
export const EndIcon = () => (
  <Icon>
    <path d="M5 5l7 7-7 7M12 5l7 7-7 7" />
  </Icon>
);
export const SunIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
  </Icon>
);
export const MoonIcon = () => (
  <Icon>
    <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" />
  </Icon>
);
export const SearchIcon = () => (
  <Icon size={16}>
    <circle cx="11" cy="11" r="7" />
    <path d="M20 20l-4-4" />
  </Icon>
);
export const UploadIcon = () => (
  <Icon size={16}>
    <path d="M12 16V4M7 9l5-5 5 5M5 20h14" />
  </Icon>
);
export const BackIcon = () => (
  <Icon size={16}>
    <path d="M15 5l-7 7 7 7" />
  </Icon>
);
export const SendIcon = () => (
  <Icon size={16}>
    <path d="M4 12l16-8-6 16-2-6z" />
  </Icon>
);
export const PlusIcon = () => (
  <Icon size={16}>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);
export const CloseIcon = () => (
  <Icon size={16}>
    <path d="M6 6l12 12M18 6L6 18" />
  </Icon>
);
export const RestartIcon = () => (
  <Icon size={16}>
    <path d="M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4" />
  </Icon>
);
export const TargetIcon = () => (
  <Icon size={16}>
    <circle cx="12" cy="12" r="8" />
    <circle cx="12" cy="12" r="3" fill="currentColor" />
  </Icon>
);
export const CheckIcon = () => (
  <Icon size={14}>
    <path d="M5 12l5 5 9-10" />
  </Icon>
);
export const CrossIcon = () => (
  <Icon size={14}>
    <path d="M6 6l12 12M18 6L6 18" />
  </Icon>
);
export const KeyboardIcon = () => (
  <Icon>
    <rect x="2.5" y="6" width="19" height="12" rx="2" />
    <path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10" />
  </Icon>
);
export const CopyIcon = () => (
  <Icon size={16}>
    <rect x="8" y="8" width="12" height="12" rx="2" />
    <path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2" />
  </Icon>
);
export const StopIcon = () => (
  <Icon size={16}>
    <rect x="6" y="6" width="12" height="12" rx="1.5" fill="currentColor" />
  </Icon>
);
export const CompareIcon = () => (
  <Icon size={16}>
    <path d="M4 7h16M4 17h16M9 3v8M15 13v8" />
  </Icon>
);

/**
 * A plain-text code editor: a textarea with line numbers beside it and, when the engine reports
 * an error, its line marked. No wrapping, so a text line is a screen line and the gutter, the
 * marker and the error's line number always agree.
 */
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';

const LINE = 20;

export interface CodeEditorHandle {
  /** Put the caret at a 1-based line and column and focus the editor. */
  goTo(line: number, column: number): void;
}

interface Props {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly errorLine?: number | undefined;
  readonly rows: number;
  readonly describedBy?: string | undefined;
}

export const CodeEditor = forwardRef<CodeEditorHandle, Props>(function CodeEditor({ label, value, onChange, errorLine, rows, describedBy }, ref) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [scroll, setScroll] = useState(0);
  const lines = value.split('\n').length;
  useImperativeHandle(ref, () => ({
    goTo(line, column) {
      const el = area.current;
      if (!el) return;
      const all = el.value.split('\n');
      let at = 0;
      for (let i = 0; i < Math.min(line - 1, all.length); i++) at += all[i]!.length + 1;
      at += Math.max(0, Math.min(column - 1, (all[line - 1] ?? '').length));
      el.focus();
      el.setSelectionRange(at, at);
      el.scrollTop = Math.max(0, (line - 3) * LINE);
    },
  }));
  return (
    <div className="code-editor" style={{ height: rows * LINE + 16 }}>
      <div className="gutter" aria-hidden="true">
        <div style={{ transform: `translateY(${-scroll}px)` }}>
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={i + 1 === errorLine ? 'ln error' : 'ln'}>
              {i + 1}
            </div>
          ))}
        </div>
      </div>
      {errorLine !== undefined && <div className="error-line" aria-hidden="true" style={{ top: 8 + (errorLine - 1) * LINE - scroll }} />}
      <textarea
        ref={area}
        aria-label={label}
        aria-describedby={describedBy}
        aria-invalid={errorLine !== undefined || undefined}
        value={value}
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => setScroll(e.currentTarget.scrollTop)}
      />
    </div>
  );
});

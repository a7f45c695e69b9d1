/** What a step changed, grouped by snapshot section (method request, integration request...). */
import { useMemo, useState } from 'react';
import type { Snapshot } from '../../../engine/trace/types';
import { Code, Section, pretty } from './details';
import { type Change, SECTION_LABELS, diffSnapshots, formatValue } from './diff';

export function ChangesView({ before, after }: { before: Snapshot | undefined; after: Snapshot | undefined }) {
  const changes = useMemo(() => diffSnapshots(before ?? {}, after ?? {}), [before, after]);
  const groups = useMemo(() => {
    const m = new Map<string, Change[]>();
    for (const c of changes) {
      const k = c.path[0] ?? '';
      m.set(k, [...(m.get(k) ?? []), c]);
    }
    return [...m.entries()];
  }, [changes]);
  return (
    <Section title="What this step changed" className="changes">
      {changes.length === 0 ? (
        <p className="muted">Nothing: the request went on unchanged.</p>
      ) : (
        groups.map(([section, list]) => (
          <div key={section} className="change-group">
            <h4>{SECTION_LABELS[section] ?? section}</h4>
            <ul>
              {list.map((c, i) => (
                <ChangeRow key={i} change={c} />
              ))}
            </ul>
          </div>
        ))
      )}
    </Section>
  );
}

/** A value folded in a change row, built only when opened. */
function InlineFold({ label, value }: { label: string; value: unknown }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="fold-inline" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{label}</summary>
      {open && <Code text={pretty(value)} />}
    </details>
  );
}

function ChangeRow({ change: c }: { change: Change }) {
  const path = c.path.slice(1).join('.') || '(all of it)';
  const big = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const sign = c.kind === 'added' ? '+' : c.kind === 'removed' ? '−' : '~';
  return (
    <li className={`change ${c.kind}`}>
      <span className="sign" aria-label={c.kind}>
        {sign}
      </span>
      <code className="change-path">{path}</code>
      {c.kind === 'changed' && (
        <span className="values">
          <code className="old">{formatValue(c.before, 160)}</code>
          <span aria-hidden="true"> → </span>
          <code className="new">{formatValue(c.after, 160)}</code>
        </span>
      )}
      {c.kind !== 'changed' && !big(c.kind === 'added' ? c.after : c.before) && (
        <code className={c.kind === 'added' ? 'new' : 'old'}>{formatValue(c.kind === 'added' ? c.after : c.before, 200)}</code>
      )}
      {c.kind !== 'changed' && big(c.kind === 'added' ? c.after : c.before) && <InlineFold label={c.kind === 'added' ? 'show' : 'show what was removed'} value={c.kind === 'added' ? c.after : c.before} />}
    </li>
  );
}

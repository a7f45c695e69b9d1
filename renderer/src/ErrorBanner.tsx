/** An API error in view, with a file's problems as `file:line:col path: message` lines. */
import { formatIssue } from './format';
import { useApp } from './store';

export function ErrorBanner() {
  const error = useApp((s) => s.error);
  const dismiss = useApp((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert">
      <div className="error-text">
        <strong>{error.message}</strong>
        {error.issues && error.issues.length > 1 && (
          <ul>
            {error.issues.map((i, n) => (
              <li key={n}>{formatIssue(i)}</li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="secondary" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

import { useApp } from '../store/context.js';

/** Notices from the core (info, warnings, errors), newest last, each dismissable. */
export function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotice);
  return (
    <ul className="notices" aria-live="polite" aria-label="Notices" data-testid="notices">
      {notices.map((notice) => (
        <li key={notice.id} className={`notice notice-${notice.level}`} role={notice.level === 'error' ? 'alert' : undefined}>
          <span>{notice.text}</span>
          <button type="button" className="icon-button" aria-label="Dismiss notice" onClick={() => dismiss(notice.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

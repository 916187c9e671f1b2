import { useEffect, useId, useRef, useState } from 'react';

/**
 * A value to hand to someone else (an address), read-only with a Copy button. Where the clipboard
 * is refused, the text is selected so Ctrl+C copies it, and the button says so.
 */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'select'>('idle');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => {
    if (copied === 'idle') return;
    const timer = setTimeout(() => setCopied('idle'), 2500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      input.current?.select();
      setCopied('select');
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="inline">
        <input
          id={id}
          ref={input}
          type="text"
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="mono"
          data-testid={testId}
        />
        <button type="button" className="secondary" onClick={() => void copy()} data-testid={testId ? `${testId}-copy` : undefined}>
          {copied === 'copied' ? 'Copied' : copied === 'select' ? 'Press Ctrl+C' : 'Copy'}
        </button>
      </div>
      <span className="sr-only" role="status" aria-live="polite">
        {copied === 'copied' ? 'Address copied' : ''}
      </span>
    </div>
  );
}

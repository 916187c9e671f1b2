import { wordReason } from '../../../shared/words/word-reason.js';
import { useApp } from '../store/context.js';
import type { Preview } from '../store/presence-slice.js';
import { useReasonNames } from './useReasonNames.js';

/** One "what do they see" answer from the core, as a dot and its sentence (the sentence says the state). */
export function PreviewAnswer({ previewKey }: { previewKey: string }) {
  const preview: Preview | undefined = useApp((s) => s.previews[previewKey]);
  const names = useReasonNames();
  if (!preview) return null;
  if (preview.state === 'error') {
    return (
      <span className="form-error" data-testid="preview-error">
        {preview.error}
      </span>
    );
  }
  const answer = preview.answer;
  if (!answer) return <span className="muted">Asking…</span>;
  return (
    <span className="preview-answer" data-testid="preview-answer" data-availability={answer.view.availability} data-source={answer.source}>
      <span className={`presence-dot presence-${answer.view.availability}`} aria-hidden="true" />
      <span>{wordReason(answer.explanation, names)}</span>
    </span>
  );
}

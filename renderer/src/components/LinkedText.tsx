import { memo } from 'react';
import { linkPieces } from '../store/links.js';

/**
 * Message text with its http(s) and mailto links as anchors. Every piece is a React text node: the
 * text is never parsed as HTML. Links open outside the app: a new tab in the browser host; the
 * Electron shell hands them to the system browser (electron/main/window.ts, security.ts).
 */
export const LinkedText = memo(function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkPieces(text).map((piece, i) =>
        piece.href ? (
          <a key={i} href={piece.href} target="_blank" rel="noopener noreferrer" data-testid="message-link">
            {piece.text}
          </a>
        ) : (
          piece.text
        ),
      )}
    </>
  );
});

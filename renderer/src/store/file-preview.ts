/**
 * A received image's bytes from the core (readFilePreview, a chunk at a time) as a data: URL the
 * page can show under the CSP (img-src 'self' data:). The type is the one the core read from the
 * bytes, never the peer's word.
 */
import type { ParleyApi } from '../../../shared/ipc.js';

/** The core previews nothing larger (core/files/file-preview.ts MAX_PREVIEW_BYTES). */
export const PREVIEW_MAX_BYTES = 16 * 1024 * 1024;

/** The data: URL of transfer `id`'s image, or null where the core gives no preview. */
export async function readPreviewUrl(api: Pick<ParleyApi, 'readFilePreview'>, id: string): Promise<string | null> {
  const parts: string[] = [];
  let type = '';
  for (let offset = 0, size = Infinity; offset < size;) {
    const chunk = await api.readFilePreview({ id, offset });
    if (!chunk.ok) return null;
    ({ type, size } = chunk.value);
    const bytes = atob(chunk.value.data);
    if (bytes.length === 0) break;
    parts.push(bytes);
    offset += bytes.length;
  }
  return `data:${type};base64,${btoa(parts.join(''))}`;
}

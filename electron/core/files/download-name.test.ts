import { describe, expect, it } from 'vitest';
import { isInside, MAX_NAME_BYTES, safeFileName, uniqueName } from './download-name.js';

describe('safeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFileName('Holiday photo (1).jpg')).toBe('Holiday photo (1).jpg');
    expect(safeFileName('résumé 2026.pdf')).toBe('résumé 2026.pdf');
  });

  it('never yields a path: separators and parent references are replaced', () => {
    for (const hostile of ['../../etc/passwd', '..\\..\\Windows\\system.ini', '/etc/shadow', 'a/../../b', 'C:\\x.txt']) {
      const name = safeFileName(hostile);
      expect(name).not.toMatch(/[/\\]/);
      expect(name.startsWith('.')).toBe(false);
      expect(isInside('/downloads', `/downloads/${name}`)).toBe(true);
    }
  });

  it('replaces NUL and control characters, and drops direction overrides that disguise the extension', () => {
    expect(safeFileName('a\u0000b\u0007c\r\n.txt')).toBe('a_b_c__.txt');
    expect(safeFileName('photo\u202Egpj.exe')).toBe('photogpj.exe');
  });

  it('does not make hidden files or reserved names', () => {
    expect(safeFileName('.bashrc')).toBe('_bashrc');
    expect(safeFileName('CON')).toBe('file');
    expect(safeFileName('nul.txt')).toBe('file');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('')).toBe('file');
    expect(safeFileName(undefined)).toBe('file');
  });

  it('caps a very long name in bytes and keeps its extension', () => {
    const name = safeFileName(`${'é'.repeat(5000)}.tar.gz`);
    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(name.endsWith('.gz')).toBe(true);
    expect(name).not.toContain('\uFFFD');
  });
});

describe('uniqueName', () => {
  it('numbers a taken name before its extension', () => {
    const taken = new Set(['report.pdf', 'report (1).pdf']);
    expect(uniqueName('report.pdf', (n) => taken.has(n))).toBe('report (2).pdf');
    expect(uniqueName('notes', (n) => n === 'notes')).toBe('notes (1)');
    expect(uniqueName('free.txt', () => false)).toBe('free.txt');
  });
});

describe('isInside', () => {
  it('is true only for a file directly in the folder', () => {
    expect(isInside('/d', '/d/a.txt')).toBe(true);
    expect(isInside('/d', '/d/../a.txt')).toBe(false);
    expect(isInside('/d', '/d/sub/a.txt')).toBe(false);
    expect(isInside('/d', '/d')).toBe(false);
  });
});

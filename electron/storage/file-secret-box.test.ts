import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileSecretBox } from './file-secret-box.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-secret-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const keyFile = () => path.join(dir, 'secret.key');

describe('fileSecretBox', () => {
  it('round-trips text, empty and multi-byte included, and says it is not strong', () => {
    const box = fileSecretBox(dir);
    expect(box.strong).toBe(false);
    for (const plain of ['hunter2', '', 'pässwörd ✓ 😀', 'x'.repeat(10_000)]) {
      expect(box.open(box.seal(plain))).toBe(plain);
    }
  });

  it('writes a 32-byte key file readable by the owner only (0600)', () => {
    fileSecretBox(dir);
    const stat = fs.statSync(keyFile());
    expect(stat.size).toBe(32);
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('creates the data directory when it is missing', () => {
    const nested = path.join(dir, 'a', 'b');
    const box = fileSecretBox(nested);
    expect(fs.statSync(path.join(nested, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(box.open(box.seal('x'))).toBe('x');
  });

  it('reuses the key: another box on the same folder opens what the first sealed', () => {
    const sealed = fileSecretBox(dir).seal('persisted');
    const key = fs.readFileSync(keyFile());
    const again = fileSecretBox(dir);
    expect(again.open(sealed)).toBe('persisted');
    expect(Buffer.compare(fs.readFileSync(keyFile()), key)).toBe(0);
  });

  it('uses a fresh IV each time and never contains the plain text', () => {
    const box = fileSecretBox(dir);
    const a = box.seal('same text');
    const b = box.seal('same text');
    expect(Buffer.compare(a, b)).not.toBe(0);
    expect(Buffer.compare(a.subarray(0, 12), b.subarray(0, 12))).not.toBe(0);
    expect(a.length).toBe(12 + 16 + Buffer.byteLength('same text'));
    expect(a.includes(Buffer.from('same text'))).toBe(false);
  });

  it('refuses tampered data and data sealed under another key', () => {
    const box = fileSecretBox(dir);
    const sealed = box.seal('secret');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 0x01;
    expect(() => box.open(tampered)).toThrow();
    const badTag = Buffer.from(sealed);
    badTag[15]! ^= 0x80;
    expect(() => box.open(badTag)).toThrow();
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-secret-other-'));
    try {
      expect(() => fileSecretBox(otherDir).open(sealed)).toThrow();
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('replaces a key file of the wrong length with a new 32-byte key', () => {
    fs.writeFileSync(keyFile(), Buffer.from('short'), { mode: 0o600 });
    const box = fileSecretBox(dir);
    expect(fs.statSync(keyFile()).size).toBe(32);
    expect(box.open(box.seal('works'))).toBe('works');
  });

  it('leaves a replaced key file readable by the owner only, even if the broken one was not', () => {
    fs.writeFileSync(keyFile(), Buffer.from('short'), { mode: 0o644 });
    fs.chmodSync(keyFile(), 0o644);
    fileSecretBox(dir);
    expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
  });
});

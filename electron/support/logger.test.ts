import { describe, expect, it } from 'vitest';
import { createLogger, levelFromEnv, type LogLevel } from './logger.js';

function capture(level: LogLevel = 'debug') {
  const lines: string[] = [];
  const logger = createLogger([{ level, stream: { write: (line: string) => void lines.push(line) } }]);
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, message and fields', () => {
    const { logger, lines, parsed } = capture();
    logger.info('registered', { aor: 'sip:alice@example.org', expires: 600 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(parsed()[0]).toMatchObject({ level: 'info', msg: 'registered', aor: 'sip:alice@example.org', expires: 600 });
    expect(new Date(parsed()[0]!.time as string).toString()).not.toBe('Invalid Date');
  });

  it('drops lines below the sink level', () => {
    const { logger, parsed } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(parsed().map((line) => line.level)).toEqual(['warn', 'error']);
  });

  it('sends each sink the lines at its own level', () => {
    const all: string[] = [];
    const loud: string[] = [];
    const logger = createLogger([
      { level: 'debug', stream: { write: (line: string) => void all.push(line) } },
      { level: 'warn', stream: { write: (line: string) => void loud.push(line) } },
    ]);
    logger.debug('detail');
    logger.warn('trouble');
    expect(all).toHaveLength(2);
    expect(loud).toHaveLength(1);
  });

  it('redacts nested secrets, also inside SIP text and the message itself', () => {
    const { logger, lines } = capture();
    const sip =
      'REGISTER sip:example.org SIP/2.0\r\nAuthorization: Digest username="alice", response="6629fae4"\r\nProxy-Authorization: Digest nonce="abc"\r\n\r\n';
    logger.warn(`sip.js: could not send ${sip}`, {
      account: { aor: 'sip:alice@example.org', password: 'hunter2', auth: { token: 'tok-123' } },
      headers: [{ Authorization: 'Bearer abc.def' }, { 'Proxy-Authorization': 'Digest xyz' }],
      message: sip,
    });
    const line = lines[0]!;
    for (const secret of ['hunter2', 'tok-123', 'abc.def', 'xyz', '6629fae4', 'nonce="abc"']) expect(line).not.toContain(secret);
    const parsed = JSON.parse(line);
    expect(parsed.account).toEqual({ aor: 'sip:alice@example.org', password: '[redacted]', auth: { token: '[redacted]' } });
    expect(parsed.message).toContain('Authorization: [redacted]');
    expect(parsed.msg).toContain('Proxy-Authorization: [redacted]');
  });

  it('logs a circular object without throwing', () => {
    const { logger, parsed } = capture();
    const peer: Record<string, unknown> = { name: 'bob' };
    peer.self = peer;
    peer.list = [peer];
    expect(() => logger.info('circular', { peer })).not.toThrow();
    expect(parsed()[0]!.peer).toEqual({ name: 'bob', self: '[Circular]', list: ['[Circular]'] });
  });

  it('keeps an error’s type, message, stack, cause and own fields', () => {
    const { logger, parsed } = capture();
    const cause = new Error('socket closed');
    const error = Object.assign(new TypeError('could not send', { cause }), { code: 'E_SEND', password: 'pw' });
    logger.error('failed', { error, nested: { error } });
    const line = parsed()[0]!;
    for (const logged of [line.error, (line.nested as Record<string, unknown>).error] as Array<Record<string, unknown>>) {
      expect(logged).toMatchObject({ type: 'TypeError', code: 'E_SEND', password: '[redacted]' });
      expect(logged.message).toContain('could not send');
      expect(logged.stack).toContain('TypeError: could not send');
      expect(logged.stack).toContain('logger.test.ts');
      expect(logged.stack).toContain('socket closed');
    }
  });

  it('never throws on values that refuse to be read', () => {
    const { logger, parsed } = capture();
    const hostile = {
      get boom() {
        throw new Error('no');
      },
    };
    logger.info('odd', { hostile, when: new Date(0), big: 10n ** 3n === 1000n });
    expect(parsed()[0]).toMatchObject({ hostile: '[Unreadable]', when: '1970-01-01T00:00:00.000Z', big: true });
  });
});

describe('levelFromEnv', () => {
  it('reads PARLEY_LOG_LEVEL, whatever its case, and ignores anything else', () => {
    expect(levelFromEnv({ PARLEY_LOG_LEVEL: 'debug' })).toBe('debug');
    expect(levelFromEnv({ PARLEY_LOG_LEVEL: ' WARN ' })).toBe('warn');
    expect(levelFromEnv({ PARLEY_LOG_LEVEL: 'loud' })).toBeUndefined();
    expect(levelFromEnv({})).toBeUndefined();
  });
});

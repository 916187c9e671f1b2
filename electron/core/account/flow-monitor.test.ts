/**
 * The UDP flow monitor's use of the sentinel: an alarm is "dead" at once and fast probes find the
 * server again; a sentinel whose alarms keep proving false (the server answers at once, as behind
 * a firewall that rejects other ports) is switched off. And its probe with a STUN-speaking server:
 * the keep-alive checks our public address first, and a new one (a lapsed NAT binding) is a
 * re-registration, never an OPTIONS sent to the old port and a flow declared dead.
 */
import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../../sip/testing/fake-timers.js';
import type { SipTransport } from '../../sip/transport/sip-transport.js';
import type { UdpSentinelOptions } from '../../sip/transport/udp-sentinel.js';
import type { UserAgent } from '../../sip/user-agent.js';
import { silentLogger } from '../../support/logger.js';
import { FlowMonitor } from './flow-monitor.js';
import type { KeepAliveResult } from './udp-keepalive.js';

/** `stun`: what the keep-alive's check finds, for a server that answers STUN; none: no STUN there. */
function setup(
  serverAnswers: () => boolean,
  stun?: () => KeepAliveResult,
  proxy = 'sip:127.0.0.1:5060',
  transportOverride?: Partial<SipTransport>,
) {
  const clock = new FakeTimers(1_000_000);
  const events: string[] = [];
  let sentinel: (UdpSentinelOptions & { stopped: boolean }) | undefined;
  // Just enough of sip.js's core for the OPTIONS probe: an answer (200) or a timeout (408).
  const ua = {
    userAgentCore: {
      makeOutgoingRequestMessage: () => ({}),
      request: (_request: unknown, delegate: { onAccept(): void; onReject(response: { message: { statusCode: number } }): void }) => {
        events.push('OPTIONS');
        if (serverAnswers()) delegate.onAccept();
        else delegate.onReject({ message: { statusCode: 408 } });
      },
    },
  } as unknown as UserAgent;
  const transport = {
    resolve: async (host: string, port: number | undefined) => ({ host, port: port ?? 5060 }),
    avoid: () => {},
    ...transportOverride,
  } as unknown as SipTransport;
  const monitor = new FlowMonitor({
    ua,
    transport,
    proxy,
    transportKind: 'udp',
    aor: 'sip:alice@parley.test',
    clock,
    logger: silentLogger,
    onDead: () => events.push('dead'),
    onAlive: () => events.push('alive'),
    onMoved: () => events.push('moved'),
    keepAlive: () => ({
      start: () => {},
      stop: () => {},
      reset: () => {},
      check: async () => {
        const found = stun?.() ?? 'no-stun';
        events.push(`stun ${found}`);
        return found;
      },
      speaksStun: stun !== undefined,
    }),
    onNewAddress: () => events.push('new address'),
    sentinel: (options) => {
      sentinel = { ...options, stopped: false };
      return {
        start: () => {},
        stop: () => {
          sentinel!.stopped = true;
        },
      };
    },
  });
  const states = () => events.filter((e) => e === 'dead' || e === 'alive');
  return { clock, events, states, monitor, sentinel: () => sentinel! };
}

describe('FlowMonitor over UDP with the sentinel', () => {
  it('a closed server port is "dead" at once; the 2 s probes see the server come back', async () => {
    let up = true;
    const { clock, states, monitor, sentinel } = setup(() => up);
    await monitor.start();
    up = false;
    sentinel().onRefused();
    expect(states()).toEqual(['dead']);
    clock.advance(2000);
    expect(states()).toEqual(['dead']); // still down: the probe timed out
    up = true;
    clock.advance(20_000); // a slow restart: long after the alarm
    expect(states()).toEqual(['dead', 'alive']);
    // A genuine outage does not count against the sentinel: its next alarm is believed again.
    sentinel().onRefused();
    expect(states()).toEqual(['dead', 'alive', 'dead']);
    expect(sentinel().stopped).toBe(false);
    monitor.stop();
  });

  it('switches the sentinel off after its alarms twice prove false within a minute', async () => {
    const { clock, states, monitor, sentinel } = setup(() => true);
    await monitor.start();
    sentinel().onRefused();
    clock.advance(2000); // the server answers the first fast probe
    sentinel().onRefused();
    clock.advance(2000);
    expect(states()).toEqual(['dead', 'alive', 'dead', 'alive']);
    expect(sentinel().stopped).toBe(true);
    monitor.stop();
  });
});

describe('FlowMonitor over UDP at a server that answers STUN', () => {
  it('the probe asks the keep-alive first; the binding held, so the OPTIONS goes', async () => {
    const { clock, events, monitor } = setup(
      () => true,
      () => 'held',
    );
    await monitor.start();
    await clock.advanceSettling(300_000);
    expect(events).toEqual(['stun held', 'OPTIONS']);
    monitor.stop();
  });

  it('a new public address at probe time: no OPTIONS to the old port, and the flow is not dead', async () => {
    const { clock, events, monitor } = setup(
      () => false, // the registrar would send our OPTIONS to the lapsed port: it would time out
      () => 'new-address',
    );
    await monitor.start();
    await clock.advanceSettling(300_000 + 20_000);
    expect(events).toEqual(['stun new-address']);
    monitor.stop();
  });
});

describe('FlowMonitor with a proxy found through SRV (a cluster)', () => {
  it('a dead server is avoided and the next SRV target watched and probed at once', async () => {
    // What DnsResolver does with two SRV targets: the best until it is avoided, then the next.
    const avoided: string[] = [];
    const resolve = async () =>
      avoided.includes('127.0.0.11:5060') ? { host: '127.0.0.12', port: 5070 } : { host: '127.0.0.11', port: 5060 };
    const avoid = (hop: { host: string; port: number }) => avoided.push(`${hop.host}:${hop.port}`);
    let up = true;
    const { clock, events, states, monitor, sentinel } = setup(() => up, undefined, 'sip:parley.test', {
      resolve,
      avoid,
    } as Partial<SipTransport>);
    await monitor.start();
    expect(sentinel()).toMatchObject({ host: '127.0.0.11', port: 5060 });
    const first = sentinel();
    up = false;
    first.onRefused();
    up = true; // the other node answers
    await clock.advanceSettling(0);
    expect(avoided).toEqual(['127.0.0.11:5060']);
    // watching the other node now, and the old node's sentinel is stopped
    expect(first.stopped).toBe(true);
    expect(sentinel()).toMatchObject({ host: '127.0.0.12', port: 5070, stopped: false });
    // probed at once, without waiting for the 2 s rhythm of a dead flow
    expect(events).toEqual(['dead', 'moved', 'OPTIONS', 'alive']);
    expect(states()).toEqual(['dead', 'alive']);
    monitor.stop();
  });

  it('a proxy with one address stays watched where it is (nothing moves)', async () => {
    let up = true;
    const { clock, events, monitor, sentinel } = setup(() => up);
    await monitor.start();
    up = false;
    sentinel().onRefused();
    await clock.advanceSettling(0);
    expect(sentinel()).toMatchObject({ host: '127.0.0.1', port: 5060, stopped: false });
    expect(events).toEqual(['dead']);
    monitor.stop();
  });
});

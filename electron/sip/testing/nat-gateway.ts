/**
 * A NAT gateway of our own, built from network namespaces, for tests of life behind NAT:
 *
 *   client namespace (a core, testing/netns-peer.ts)        10.R.0.2  ── default route ──┐
 *   gateway namespace: forwards, nftables `masquerade fully-random` out of its far side,  10.R.0.1
 *                      UDP conntrack timeouts set to `udpTimeoutS` (in that namespace only)    169.254.R.2
 *   this namespace (the test: Kamailio, peers) listens on                                   169.254.R.1
 *
 * `fully-random` gives every new binding a random public port, so a binding that lapsed (no
 * datagram for `udpTimeoutS`) comes back on a new port, as home routers and carrier NATs do; the
 * private address never leaves the gateway. The far side address is link-local on a veth of this
 * namespace (R is random), removed again with the namespaces by destroy().
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { probeNetns, spawnPeer, tryRun, type NetnsPeer, type Support } from './netns.js';

const run = promisify(execFile);

let probed: Support | undefined;

/** Whether this machine can build the gateway: root, namespaces, nft, NAT in the kernel, per-namespace conntrack timeouts. */
export function natGatewaySupport(): Support {
  probed ??= probeNetns((ns) => {
    const nft = tryRun('nft', ['--version']);
    if (!nft.ok) return `needs nft (Debian package nftables, .ci/debian-packages): ${nft.err}`;
    const conntrack = tryRun('conntrack', ['--version']);
    if (!conntrack.ok) return `needs conntrack (Debian package conntrack, .ci/debian-packages): ${conntrack.err}`;
    const rules = tryRun('ip', [
      'netns',
      'exec',
      ns,
      'nft',
      'add table ip probe; add chain ip probe post { type nat hook postrouting priority srcnat; }; add rule ip probe post masquerade fully-random',
    ]);
    if (!rules.ok) return `the kernel refuses an nftables masquerade rule: ${rules.err}`;
    const sysctl = tryRun('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.netfilter.nf_conntrack_udp_timeout=20']);
    if (!sysctl.ok) return `cannot set the conntrack UDP timeout in a namespace: ${sysctl.err}`;
    return undefined;
  });
  return probed;
}

export interface NatGatewayOptions {
  /** Seconds a UDP binding lives without a datagram (conntrack's udp_timeout and udp_timeout_stream). */
  udpTimeoutS: number;
}

export class NatGateway {
  readonly peers: NetnsPeer[] = [];

  private constructor(
    readonly ns: { client: string; gateway: string },
    /** The veth end in this namespace (the rest live and die with the namespaces). */
    readonly outsideDev: string,
    /** Where the client lives, and where this namespace listens for it (Kamailio's host). */
    readonly addr: { client: string; gateway: string; gatewayOutside: string; server: string },
  ) {}

  static async create(options: NatGatewayOptions): Promise<NatGateway> {
    const sfx = randomBytes(3).toString('hex');
    let r = randomInt(1, 255);
    if (r === 169) r = 170; // 169.254.169.254 is the cloud metadata address
    const gw = new NatGateway({ client: `parley-nc-${sfx}`, gateway: `parley-ng-${sfx}` }, `pno${sfx}`, {
      client: `10.${r}.0.2`,
      gateway: `10.${r}.0.1`,
      gatewayOutside: `169.254.${r}.2`,
      server: `169.254.${r}.1`,
    });
    const { ns, addr } = gw;
    const ip = (...args: string[]) => run('ip', args);
    const inGateway = (...args: string[]) => run('ip', ['netns', 'exec', ns.gateway, ...args]);
    try {
      await ip('netns', 'add', ns.client);
      await ip('netns', 'add', ns.gateway);
      await ip('link', 'add', `pnc${sfx}`, 'netns', ns.client, 'type', 'veth', 'peer', 'name', `pni${sfx}`, 'netns', ns.gateway);
      await ip('link', 'add', gw.outsideDev, 'type', 'veth', 'peer', 'name', `png${sfx}`, 'netns', ns.gateway);
      await ip('-n', ns.client, 'addr', 'add', `${addr.client}/24`, 'dev', `pnc${sfx}`);
      await ip('-n', ns.gateway, 'addr', 'add', `${addr.gateway}/24`, 'dev', `pni${sfx}`);
      await ip('-n', ns.gateway, 'addr', 'add', `${addr.gatewayOutside}/24`, 'dev', `png${sfx}`);
      await ip('addr', 'add', `${addr.server}/24`, 'dev', gw.outsideDev);
      for (const [where, dev] of [
        [ns.client, `pnc${sfx}`],
        [ns.client, 'lo'],
        [ns.gateway, `pni${sfx}`],
        [ns.gateway, `png${sfx}`],
        [ns.gateway, 'lo'],
      ] as const) {
        await ip('-n', where, 'link', 'set', dev, 'up');
      }
      await ip('link', 'set', gw.outsideDev, 'up');
      await ip('-n', ns.client, 'route', 'add', 'default', 'via', addr.gateway);
      await inGateway('sysctl', '-qw', 'net.ipv4.ip_forward=1');
      const rules = [
        'add table ip nat',
        'add chain ip nat post { type nat hook postrouting priority srcnat; policy accept; }',
        `add rule ip nat post oifname "png${sfx}" masquerade fully-random`,
      ];
      await inGateway('nft', rules.join('; '));
      const seconds = String(Math.round(options.udpTimeoutS));
      await inGateway(
        'sysctl',
        '-qw',
        `net.netfilter.nf_conntrack_udp_timeout=${seconds}`,
        `net.netfilter.nf_conntrack_udp_timeout_stream=${seconds}`,
      );
    } catch (error) {
      await gw.destroy();
      throw error;
    }
    return gw;
  }

  /** The conntrack UDP timeouts in force in the gateway namespace, as read back (seconds). */
  async udpTimeouts(): Promise<number[]> {
    const { stdout } = await run('ip', [
      'netns',
      'exec',
      this.ns.gateway,
      'sysctl',
      '-n',
      'net.netfilter.nf_conntrack_udp_timeout',
      'net.netfilter.nf_conntrack_udp_timeout_stream',
    ]);
    return stdout.trim().split(/\s+/).map(Number);
  }

  /** The NAT forgets every binding now (conntrack -F in the gateway): as if each had lapsed. */
  async forgetBindings(): Promise<void> {
    await run('ip', ['netns', 'exec', this.ns.gateway, 'conntrack', '-F']);
  }

  /**
   * Everything that crossed the gateway's far side so far, as the kernel counts it on the veth in
   * this namespace: bytes with their IP and UDP/TCP headers (and the link's few frames of its own).
   * `in` = from the client's side, `out` = to it.
   */
  wireCounters(): { inBytes: number; outBytes: number; inPackets: number; outPackets: number } {
    const read = (name: string) => Number(readFileSync(`/sys/class/net/${this.outsideDev}/statistics/${name}`, 'utf8'));
    return { inBytes: read('rx_bytes'), outBytes: read('tx_bytes'), inPackets: read('rx_packets'), outPackets: read('tx_packets') };
  }

  /** A core behind the NAT (testing/netns-peer.ts), with `config` (an account to register with). */
  async startPeer(config: Record<string, unknown>): Promise<NetnsPeer> {
    const peer = spawnPeer(this.ns.client, { listen: `${this.addr.client}:0`, ...config });
    this.peers.push(peer);
    await peer.ready;
    return peer;
  }

  /** Stops the cores and deletes both namespaces and the veth in this one. Safe to call twice. */
  async destroy(): Promise<void> {
    await Promise.all(this.peers.splice(0).map((p) => p.stop().catch(() => p.child.kill('SIGKILL'))));
    for (const name of [this.ns.client, this.ns.gateway]) await run('ip', ['netns', 'del', name]).catch(() => {});
    await run('ip', ['link', 'del', this.outsideDev]).catch(() => {}); // usually gone with its peer already
  }
}

// A cluster of the bundled Kamailio on one machine (docs/DEPLOY.md says how it runs on several):
// N nodes, each its own process and run directory on its own loopback address (127.0.0.11,
// 127.0.0.12, ...) with the same users and domain, replicating registrations and presence to each
// other over DMQ, and sharing one database for offline messages (shared-db.ts). Clients find the
// nodes through DNS SRV (dnsmasq.ts serves such records in tests).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';
import { startKamailio, type RunningServer, type ServerOptions } from '../kamailio.js';
import { createSharedDb } from './shared-db.js';

export interface ClusterOptions extends Omit<ServerOptions, 'dir' | 'host' | 'port' | 'tls' | 'tlsPort' | 'cluster'> {
  /** How many nodes (default 2). */
  nodes?: number;
  /** Node i listens on 127.0.0.(firstHost + i); default 11. */
  firstHost?: number;
}

export interface RunningCluster {
  nodes: RunningServer[];
  /** The directory holding the shared database (removed by stop()). */
  dir: string;
  /** Stop every node still running (each stop isolated: one failure does not leave the rest running). */
  stop(): Promise<void>;
}

/** The network the nodes talk DMQ from: all of loopback. */
const NODE_NETWORK = '127.0.0.0/8';

export async function startCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  const { nodes: count = 2, firstHost = 11, ...serverOptions } = options;
  if (count < 2 || firstHost + count > 255) throw new Error(`a cluster of ${count} nodes from 127.0.0.${firstHost} is not possible`);
  const dir = await mkdtemp(join(tmpdir(), 'parley-cluster-'));
  const sharedDb = join(dir, 'shared.sqlite');
  createSharedDb(sharedDb);
  const hosts = Array.from({ length: count }, (_, i) => `127.0.0.${firstHost + i}`);
  const ports = await Promise.all(hosts.map((host) => freePort(host)));
  const nodes: RunningServer[] = [];
  const stop = async (): Promise<void> => {
    for (const node of nodes.splice(0)) await node.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const [i, host] of hosts.entries()) {
      // each node learns the node list from the one before it (the first from the last)
      const peer = (i + count - 1) % count;
      const node = await startKamailio({
        ...serverOptions,
        host,
        port: ports[i],
        cluster: { peer: `sip:${hosts[peer]}:${ports[peer]}`, network: NODE_NETWORK, sharedDb },
      });
      nodes.push(node);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: [...nodes], dir, stop };
}

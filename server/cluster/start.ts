// `npm run cluster`: a cluster of the bundled Kamailio on loopback behind DNS SRV served by
// dnsmasq, for trying failover by hand (docs/DEPLOY.md). Every node has digest auth with the
// users alice, bob and carol (password "secret"); clients find the nodes through the DNS server
// printed (PARLEY_DNS_SERVERS). Ctrl-C stops everything.
//
//   npm run cluster -- [--nodes 2] [--domain parley.test]
import { parseArgs } from 'node:util';
import { startDnsmasq } from '../dnsmasq.js';
import { startCluster } from './start-cluster.js';
import { clusterRecords } from './srv-records.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nodes: { type: 'string' }, domain: { type: 'string' } }, strict: true });
  const count = Number(values.nodes ?? 2);
  const domain = values.domain ?? 'parley.test';
  if (!Number.isInteger(count) || count < 2 || count > 9) throw new Error(`--nodes takes 2 to 9, got ${values.nodes}`);
  const users = ['alice', 'bob', 'carol'].map((user) => ({ user, password: 'secret' }));
  const cluster = await startCluster({ nodes: count, domain, auth: true, users });
  const dns = await startDnsmasq(clusterRecords(domain, cluster.nodes)).catch(async (error: unknown) => {
    await cluster.stop();
    throw error;
  });
  console.log(
    [
      '',
      `A cluster of ${count} Kamailio nodes for ${domain} (users alice, bob, carol / secret):`,
      ...cluster.nodes.map((node, i) => `  node${i + 1}.${domain}  ${node.uri()}  (pid ${node.pid}, run dir ${node.dir})`),
      `  DNS (SRV, A)      ${dns.server}`,
      '',
      'Point clients at the domain; they pick the first node and fail over to the next:',
      `  PARLEY_DNS_SERVERS=${dns.server} npx parley listen --aor sip:alice@${domain} --password secret --proxy sip:${domain}`,
      `Kill a node (kill -9 <pid>) to see the client move to the next one.`,
      '',
      'Stop with Ctrl-C.',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await dns.stop();
    await cluster.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop());
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

/**
 * Un-SUBSCRIBE against the bundled Kamailio's presence server (RFC 6665 §4.1.2.3): when Parley
 * leaves (quit, account change), its un-SUBSCRIBE (Expires: 0) is answered by Kamailio with 200
 * and a final NOTIFY (Subscription-State: terminated). That NOTIFY still belongs to the dialog and
 * must be answered 200 while the endpoint is still there: it used to get 481 (or nothing).
 *
 * What Parley answered is read at the other end of the wire, from Kamailio's own log (debug
 * level): the log prefix ("{$mt $hdr(CSeq) $ci}", server/kamailio.cfg) names each message, the
 * presence module logs the Expires of each SUBSCRIBE it handles, each NOTIFY it sends, and the
 * status each NOTIFY transaction completed with.
 */
import { describe, expect, it } from 'vitest';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const CAROL = 'sip:carol@parley.test';

/**
 * What Kamailio's presence module did for the subscription to carol, in log order (alice's own
 * watcher-info subscription is in the log too: only the Call-ID whose lines name carol counts).
 */
function presenceSteps(log: readonly string[]): string[] {
  const callId = log.map((line) => /\{1 \d+ SUBSCRIBE (\S+)\}.*sip:carol@/.exec(line)?.[1]).find((id) => id !== undefined);
  const steps: string[] = [];
  for (const line of log) {
    if (callId === undefined || !line.includes(` ${callId}}`)) continue;
    const expires = /\{1 \d+ SUBSCRIBE \S+\} presence .*'Expires' header found, value= (\d+)/.exec(line);
    if (expires) steps.push(`SUBSCRIBE Expires ${expires[1]}`);
    if (/\{1 \d+ SUBSCRIBE \S+\} presence .*send_notify_request\(\): NOTIFY /.test(line)) steps.push('NOTIFY sent');
    const outcome = /\{2 \d+ NOTIFY \S+\} presence .*completed with status (\d+)/.exec(line);
    if (outcome) steps.push(`NOTIFY answered ${outcome[1]}`);
  }
  return steps;
}

describe('the final NOTIFY after our un-SUBSCRIBE', () => {
  const world = presenceWorld();

  it('is answered 200 when Parley quits', async () => {
    const log: string[] = [];
    let logged = () => {};
    const server = await world.server({ debug: 3, onLog: (line) => (log.push(line), logged()) });
    /** Kamailio's processes write their logs on their own: wait until two NOTIFYs are answered (or 15 s). */
    const bothAnswered = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      logged = () => {
        if (presenceSteps(log).filter((step) => step.startsWith('NOTIFY answered')).length < 2) return;
        clearTimeout(timer);
        resolve();
      };
    });
    const alice = await world.parley(server, 'alice');
    // carol publishes nothing: Kamailio serves her presence all the same
    await alice.core.commands.saveContact({ aor: CAROL, groups: [] });
    await alice.waitFor(isBuddy(CAROL, (b) => b.subscription === 'active'));

    await alice.stop();
    await bothAnswered;

    expect(presenceSteps(log)).toEqual([
      'SUBSCRIBE Expires 3600',
      'NOTIFY sent',
      'NOTIFY answered 200',
      'SUBSCRIBE Expires 0',
      'NOTIFY sent',
      'NOTIFY answered 200',
    ]);
  });
});

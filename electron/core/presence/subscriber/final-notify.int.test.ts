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
 * What Kamailio's presence module did for the subscription to carol (alice's own watcher-info
 * subscription is in the log too: only the Call-ID whose lines name carol counts). SUBSCRIBEs and
 * the NOTIFYs they trigger are logged by the process handling the request, in order; the status a
 * NOTIFY completed with is logged by whichever process took the 200, so it may land after the next
 * SUBSCRIBE's lines: `answers` keys it by the NOTIFY's CSeq instead of by log position.
 */
function presenceSteps(log: readonly string[]): { steps: string[]; answers: Map<string, string> } {
  const callId = log.map((line) => /\{1 \d+ SUBSCRIBE (\S+)\}.*sip:carol@/.exec(line)?.[1]).find((id) => id !== undefined);
  const steps: string[] = [];
  const answers = new Map<string, string>();
  for (const line of log) {
    if (callId === undefined || !line.includes(` ${callId}}`)) continue;
    const expires = /\{1 \d+ SUBSCRIBE \S+\} presence .*'Expires' header found, value= (\d+)/.exec(line);
    if (expires) steps.push(`SUBSCRIBE Expires ${expires[1]}`);
    if (/\{1 \d+ SUBSCRIBE \S+\} presence .*send_notify_request\(\): NOTIFY /.test(line)) steps.push('NOTIFY sent');
    const outcome = /\{2 (\d+) NOTIFY \S+\} presence .*completed with status (\d+)/.exec(line);
    if (outcome) answers.set(outcome[1]!, outcome[2]!);
  }
  return { steps, answers };
}

describe('the final NOTIFY after our un-SUBSCRIBE', () => {
  const world = presenceWorld();

  it('is answered 200 when Parley quits', async () => {
    const log: string[] = [];
    let logged = () => {};
    // Only a line that records a NOTIFY's answer can change the count: reading the whole debug log
    // on every line made this process (which also runs alice's Parley) fall behind the wire.
    const server = await world.server({
      debug: 3,
      onLog: (line) => {
        log.push(line);
        if (line.includes('completed with status')) logged();
      },
    });
    /** Kamailio's processes write their logs on their own: wait until two NOTIFYs are answered (or 15 s). */
    const bothAnswered = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      logged = () => {
        if (presenceSteps(log).answers.size < 2) return;
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

    const { steps, answers } = presenceSteps(log);
    expect(steps).toEqual(['SUBSCRIBE Expires 3600', 'NOTIFY sent', 'SUBSCRIBE Expires 0', 'NOTIFY sent']);
    // both NOTIFYs (two CSeqs: the first state and the final one) were answered 200
    expect([...answers.values()]).toEqual(['200', '200']);
  });
});

/**
 * The decisions of .ci/ensure-debian-packages, the first step of `npm test`: it runs here against
 * stub dpkg-query, id, sudo and apt-get executables placed first on PATH, which answer from a
 * temp folder and write down how they were called. Nothing is installed or removed for real.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(ROOT, '.ci/ensure-debian-packages');

/** The package list as the script reads it: one name per line, '#' starts a comment. */
const LIST = fs
  .readFileSync(path.join(ROOT, '.ci/debian-packages'), 'utf8')
  .split('\n')
  .flatMap((line) => line.replace(/#.*/, '').trim().split(/\s+/))
  .filter(Boolean);

// Each stub appends "<name> <args>" to $FAKE_DIR/calls. dpkg-query answers from $FAKE_DIR/installed
// (one name per line) in the format the script asks for; apt-get install adds to it.
const STUBS: Record<string, string> = {
  'dpkg-query': `
echo "dpkg-query $*" >>"$FAKE_DIR/calls"
status=0
for arg in "$@"; do
  case $arg in -*) continue ;; esac
  if grep -qx -- "$arg" "$FAKE_DIR/installed"; then echo "$arg install ok installed"
  else echo "dpkg-query: no packages found matching $arg" >&2; status=1; fi
done
exit $status`,
  id: `[ "$1" = -u ] && echo "\${FAKE_UID:-1000}"`,
  sudo: `
echo "sudo $*" >>"$FAKE_DIR/calls"
[ "$FAKE_SUDO" = yes ] || { echo "sudo: a password is required" >&2; exit 1; }
[ "$1" = -n ] && shift
exec "$@"`,
  'apt-get': `
echo "apt-get $* policy=$([ -x "$PARLEY_POLICY_RC_D" ] && echo present || echo absent)" >>"$FAKE_DIR/calls"
[ -n "$FAKE_APT_FAIL" ] && exit 100
if [ "$1" = install ]; then
  for arg in "$@"; do case $arg in install|-*) ;; *) echo "$arg" >>"$FAKE_DIR/installed" ;; esac; done
fi
exit 0`,
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Machine {
  installed: readonly string[];
  uid?: number;
  sudo?: boolean;
  aptFails?: boolean;
  /** Leave dpkg-query out of PATH (and everything else but the stubs). */
  noDpkg?: boolean;
  /** A policy-rc.d that was there before the script ran. */
  policyExists?: boolean;
}

function run(machine: Machine) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-debian-packages-'));
  dirs.push(dir);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const [name, body] of Object.entries(STUBS)) {
    if (name === 'dpkg-query' && machine.noDpkg) continue;
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  }
  fs.writeFileSync(path.join(dir, 'installed'), machine.installed.map((name) => `${name}\n`).join(''));
  fs.writeFileSync(path.join(dir, 'calls'), '');
  const policy = path.join(dir, 'policy-rc.d');
  if (machine.policyExists) fs.writeFileSync(policy, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const result = spawnSync('/bin/bash', [SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      PATH: machine.noDpkg ? bin : `${bin}:/usr/bin:/bin`,
      FAKE_DIR: dir,
      FAKE_UID: String(machine.uid ?? 1000),
      FAKE_SUDO: machine.sudo ? 'yes' : 'no',
      FAKE_APT_FAIL: machine.aptFails ? '1' : '',
      PARLEY_POLICY_RC_D: policy,
    },
  });
  const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').split('\n').filter(Boolean);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, policyLeft: fs.existsSync(policy) };
}

const aptCalls = (calls: string[]) => calls.filter((call) => /(^|\s)apt-get /.test(call));
/** Two packages the machine lacks, in list order (the order the script names them in). */
const MISSING: string[] = LIST.filter((name) => name === 'sipsak' || name === 'linphone-cli');
const SOME = LIST.filter((name) => !MISSING.includes(name));
const NAMES = MISSING.join(' ');

describe('.ci/ensure-debian-packages', () => {
  it('reads a list that names the packages the tests start', () => {
    expect(LIST).toEqual(expect.arrayContaining(['kamailio', 'sip-tester', 'sipsak', 'linphone-cli', 'chromium']));
  });

  it('all installed: exits 0 at once, silent, without apt-get or sudo', () => {
    const result = run({ installed: LIST });
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toMatch(/^dpkg-query /);
  });

  it('missing, not root, no password-less sudo: exits 1 with one message naming the command, installs nothing', () => {
    const result = run({ installed: SOME, uid: 1000, sudo: false });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(MISSING).toHaveLength(2);
    expect(result.stderr).toContain(NAMES);
    expect(result.stderr).toContain('sudo .ci/ensure-debian-packages');
    expect(result.stderr.trim().split('\n')).toHaveLength(3);
    expect(aptCalls(result.calls)).toEqual([]);
  });

  it('missing, as root: apt-get update, then install of exactly the missing packages, daemons held back meanwhile', () => {
    const result = run({ installed: SOME, uid: 0 });
    expect(result.status, result.stderr).toBe(0);
    expect(aptCalls(result.calls)).toEqual([
      'apt-get update -qq policy=present',
      `apt-get install -y -qq --no-install-recommends ${NAMES} policy=present`,
    ]);
    expect(result.calls.some((call) => call.startsWith('sudo'))).toBe(false);
    expect(result.policyLeft).toBe(false);
    expect(result.stdout).toBe(`Installing the Debian packages the tests need: ${NAMES}\n`);
  });

  it('missing, password-less sudo: installs through sudo -n', () => {
    const result = run({ installed: SOME, uid: 1000, sudo: true });
    expect(result.status, result.stderr).toBe(0);
    expect(result.calls).toContain(`sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${NAMES}`);
    expect(aptCalls(result.calls)).toHaveLength(4); // update and install, each seen by sudo and by apt-get
  });

  it('leaves a policy-rc.d that was already there', () => {
    const result = run({ installed: SOME, uid: 0, policyExists: true });
    expect(result.status, result.stderr).toBe(0);
    expect(result.policyLeft).toBe(true);
  });

  it('apt-get failing: exits 1 with its own message, and takes its policy-rc.d away', () => {
    const result = run({ installed: SOME, uid: 0, aptFails: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/apt-get update failed/);
    expect(result.policyLeft).toBe(false);
  });

  it('no dpkg-query (not Debian): exits 1 saying so, and how to run anyway', () => {
    const result = run({ installed: [], noDpkg: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no dpkg-query/);
    expect(result.stderr).toContain('PARLEY_SKIP_DEBIAN_PACKAGES=1 npm test');
  });
});

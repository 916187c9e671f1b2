/**
 * electron-builder finds the production dependencies to pack with `npm list`. Run against a
 * node_modules that is a symlink to another checkout's (a git worktree sharing one install), npm
 * reports them all missing and the app would ship without better-sqlite3's `bindings`. Reading the
 * tree from package-lock.json instead (what `npm ci` installs) gives the same list everywhere.
 * `npm list` takes npm_config_* settings from the environment, so this sets one around `run`.
 */
export async function withLockfileDependencies<T>(run: () => Promise<T>): Promise<T> {
  const before = process.env.npm_config_package_lock_only;
  process.env.npm_config_package_lock_only = 'true';
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.npm_config_package_lock_only;
    else process.env.npm_config_package_lock_only = before;
  }
}

/**
 * A host may answer a few commands itself, where only it can (opening a window is the Electron
 * shell's business, not the core's): the core as the host presents it, with those handlers in place
 * of the core's. Everything else, events and lifecycle included, is the core's.
 */
import type { CommandHandlers, Core } from '../core/core.js';

export function withHostCommands(core: Core, own: Partial<CommandHandlers>): Core {
  return {
    commands: { ...core.commands, ...own },
    subscribe: (listener) => core.subscribe(listener),
    start: () => core.start(),
    stop: () => core.stop(),
    ...(core.onResume ? { onResume: () => core.onResume!() } : {}),
    ...(core.onNetworkChange ? { onNetworkChange: () => core.onNetworkChange!() } : {}),
    ...(core.sendLocalFile ? { sendLocalFile: (to: string, file: string) => core.sendLocalFile!(to, file) } : {}),
  };
}

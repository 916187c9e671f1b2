/** Entry point of the `parley` command. Returns the exit code. */
import { CliError, parseCli, USAGE } from './options.js';
import { jsonl, listen, send } from './commands.js';

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCli(argv);
  } catch (error) {
    process.stderr.write(`parley: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  try {
    switch (args.command) {
      case 'listen':
        return await listen(args.options);
      case 'send': {
        const [to, ...words] = args.positionals;
        if (!to || words.length === 0) throw new CliError('send needs <to-uri> and <text>');
        return await send(args.options, to, words.join(' '));
      }
      case 'jsonl':
        return await jsonl(args.options);
      case 'start': {
        const { launch } = await import('../launch.js');
        const { dataDir, account, password, listen: listenAt } = args.options;
        const handle = await launch({
          dataDir,
          ...(account ? { account } : {}),
          ...(password !== undefined ? { password } : {}),
          ...(listenAt ? { listen: listenAt } : {}),
          ...(args.uiPort !== undefined ? { port: args.uiPort } : {}),
        });
        return await handle.done;
      }
      case undefined:
        process.stdout.write(USAGE + '\n');
        return 0;
      default:
        throw new CliError(`unknown command "${args.command}"`);
    }
  } catch (error) {
    const usage = error instanceof CliError ? `\n\n${USAGE}` : '';
    process.stderr.write(`parley: ${error instanceof Error ? error.message : String(error)}${usage}\n`);
    return error instanceof CliError ? 2 : 1;
  }
}

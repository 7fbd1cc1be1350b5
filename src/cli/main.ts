/**
 * `grasp` command line. Each command lives in src/cli/commands/<name>.ts and exports
 * `register(program)`; this file only assembles them.
 */
import { Command, CommanderError } from 'commander';
import { GraspError } from '../core/errors.ts';
import { registerCommands } from './commands/index.ts';
import { exitQuietlyOnClosedPipe } from './pipe.ts';

exitQuietlyOnClosedPipe(process.stdout);

const program = new Command('grasp')
  .description('Comprehension-debt tracker: which agent-written code nobody on the team understands yet.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

try {
  await registerCommands(program, process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof GraspError) {
    process.stderr.write(`grasp: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`grasp: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  }
}

/** skiff's command-line entry point: dispatches to one command. */
// Each command's code is imported only when that command runs: `skiff server` must not pay for
// loading the agent, image and token tooling before it can serve.
import { UsageError } from './flags.js';
import { GIT_VERSION } from '../apiserver/version.js';

const HELP = `skiff — Kubernetes in one program

Usage: skiff <command> [flags]

Commands:
  server     Run the API server and control plane (skiff server --help)
  agent      Join a cluster as a node that runs pods in containers (skiff agent --help)
  sim        Register simulated nodes that run pods without containers (skiff sim --help)
  images     Import, list and remove images on this node (skiff images --help)
  token      Create, list and delete bootstrap tokens (skiff token --help)
  certificate  Re-issue the server's certificates from its CA (skiff certificate rotate)
  secrets-encrypt  Show or rotate the keys of Secrets encryption at rest (status, rotate-keys)
  version    Print the version
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'server':
        return await (await import('./server/command.js')).serverCommand(rest);
      case 'agent':
        return await (await import('./agent/command.js')).agentCommand(rest);
      case 'sim':
        return await (await import('./sim/command.js')).simCommand(rest);
      case 'images':
        return await (await import('./images/command.js')).imagesCommand(rest);
      case 'secrets-encrypt':
        return await (await import('./secrets-encrypt/command.js')).secretsEncryptCommand(rest);
      case 'token':
        return await (await import('./token/command.js')).tokenCommand(rest);
      case 'certificate':
        return await (await import('./certificate/command.js')).certificateCommand(rest);
      case 'version':
      case '--version':
        process.stdout.write(`skiff version ${GIT_VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return 0;
      default:
        process.stderr.write(`unknown command "${cmd}"\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));

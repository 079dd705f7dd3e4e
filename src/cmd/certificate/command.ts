/**
 * `skiff certificate rotate [--data-dir DIR] [--service NAME…]`: re-issues the server's
 * serving and admin client certificates from the existing CA. A running server keeps serving
 * the old certificate until it restarts.
 */
import { realClock } from '../../base/clock.js';
import { parseFlags, usage, UsageError, type FlagSpec } from '../flags.js';
import { defaultDataDir } from '../server/run.js';
import { ROTATABLE_SERVICES, rotateCertificates, type RotatableService } from './rotate.js';

const rotateFlags: FlagSpec[] = [
  { name: 'data-dir', type: 'string', help: 'The server data folder (default: the server default)' },
  { name: 'service', type: 'list', help: `Which certificates to re-issue: ${ROTATABLE_SERVICES.join(', ')} (repeatable; default: all)` },
  { name: 'help', type: 'boolean', help: 'Show this help', default: false },
];

const HELP = `Usage: skiff certificate rotate [--data-dir DIR] [--service ${ROTATABLE_SERVICES.join('|')}]...

  Re-issues the apiserver serving certificate and the admin client certificate from the
  existing cluster CA. Restart the server to serve the new certificate.
`;

export async function certificateCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help') return void process.stdout.write(HELP), 0;
  if (sub !== 'rotate') throw new UsageError(`unknown certificate command "${sub}"\n\n${HELP}`);
  const { values } = parseFlags(rest, rotateFlags);
  if (values.help) return void process.stdout.write(usage('certificate rotate', rotateFlags) + '\n'), 0;
  const asked = values.service as string[];
  for (const s of asked) if (!(ROTATABLE_SERVICES as readonly string[]).includes(s)) throw new UsageError(`unknown service "${s}" (${ROTATABLE_SERVICES.join(', ')})`);
  const services = (asked.length ? [...new Set(asked)] : [...ROTATABLE_SERVICES]) as RotatableService[];
  const dataDir = values['data-dir'] ? String(values['data-dir']) : defaultDataDir();
  const result = await rotateCertificates(dataDir, services, realClock.now());
  for (const s of result.rotated) process.stdout.write(`certificate for ${s} rotated\n`);
  process.stdout.write(`old certificates kept in ${result.backupDir}\n`);
  if (result.rotated.includes('api-server')) process.stdout.write('restart skiff server to serve the new certificate\n');
  return 0;
}

/** A small flag parser with k3s/kubectl conventions: --name value, --name=value, repeatable flags. */
import { SkiffError } from '../base/errors.js';

export class UsageError extends SkiffError {
  constructor(message: string) {
    super('Usage', message);
  }
}

export interface FlagSpec {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'list';
  help: string;
  default?: string | number | boolean;
}

export type FlagValues = Record<string, string | number | boolean | string[] | undefined>;

export function parseFlags(argv: string[], specs: FlagSpec[]): { values: FlagValues; rest: string[] } {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values: FlagValues = {};
  for (const s of specs) values[s.name] = s.type === 'list' ? [] : s.default;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown flag: --${name}`);
    let raw: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (spec.type === 'boolean') {
      values[name] = raw === undefined ? true : raw === 'true';
      continue;
    }
    if (raw === undefined) {
      raw = argv[++i];
      if (raw === undefined) throw new UsageError(`flag needs an argument: --${name}`);
    }
    if (spec.type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`invalid value "${raw}" for --${name}: not a number`);
      values[name] = n;
    } else if (spec.type === 'list') (values[name] as string[]).push(...raw.split(',').filter(Boolean));
    else values[name] = raw;
  }
  return { values, rest };
}

export function usage(command: string, specs: FlagSpec[]): string {
  const lines = [`Usage: skiff ${command} [flags]`, '', 'Flags:'];
  for (const s of specs) {
    const def = s.default !== undefined && s.default !== '' ? ` (default ${JSON.stringify(s.default)})` : '';
    lines.push(`  --${s.name}${s.type === 'boolean' ? '' : ' ' + s.type.toUpperCase()}\n      ${s.help}${def}`);
  }
  return lines.join('\n');
}

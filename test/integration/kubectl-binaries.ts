/** The versioned kubectl builds installed beside the default one (`kubectl.1.31`, `kubectl.1.33`, ...). */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Absolute path of `kubectl.<minor>` next to the real kubectl, or undefined when it is not installed. */
export function versionedKubectl(version: string): string | undefined {
  let kubectl: string;
  try {
    kubectl = execFileSync('which', ['kubectl'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
  const candidate = join(dirname(realpathSync(kubectl)), `kubectl.${version}`);
  return existsSync(candidate) ? candidate : undefined;
}

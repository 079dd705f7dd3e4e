/** hostPath `type` checks and the creating types (upstream pkg/volume/hostpath checkType). */
import { closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';

export const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] as const;

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Checks (and for the *OrCreate types creates) `path`; the error text is upstream's. */
export function checkHostPath(path: string, type: string | undefined): void {
  const t = type ?? '';
  let st = stat(path);
  switch (t) {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!st) {
        mkdirSync(path, { recursive: true, mode: 0o755 });
        return;
      }
      if (!st.isDirectory()) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      return;
    case 'FileOrCreate':
      if (!st) {
        // Upstream creates only the file, not its parent folders.
        closeSync(openSync(path, 'a', 0o644));
        st = stat(path);
        return;
      }
      if (!st.isFile()) throw new Error(`hostPath type check failed: ${path} is not a file`);
      return;
    case 'Directory':
      if (!st) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      if (!st.isDirectory()) throw new Error(`hostPath type check failed: ${path} is not a directory`);
      return;
    case 'File':
      if (!st || !st.isFile()) throw new Error(`hostPath type check failed: ${path} is not a file`);
      return;
    case 'Socket':
      if (!st || !st.isSocket()) throw new Error(`hostPath type check failed: ${path} is not a socket file`);
      return;
    case 'CharDevice':
      if (!st || !st.isCharacterDevice()) throw new Error(`hostPath type check failed: ${path} is not a character device`);
      return;
    case 'BlockDevice':
      if (!st || !st.isBlockDevice()) throw new Error(`hostPath type check failed: ${path} is not a block device`);
      return;
    default:
      throw new Error(`hostPath type check failed: unknown type ${t}`);
  }
}

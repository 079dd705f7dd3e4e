/** Tells image archives (OCI layout, docker save) apart from root-filesystem tarballs. */
import { runTool } from './tools.js';

export type ArchiveKind = 'oci' | 'docker' | 'rootfs';

export function classifyEntries(entries: string[]): ArchiveKind {
  const top = new Set(entries.map((e) => e.replace(/^\.\//, '').replace(/\/$/, '')));
  if (top.has('oci-layout') || (top.has('index.json') && [...top].some((e) => e.startsWith('blobs/')))) return 'oci';
  if (top.has('manifest.json') || top.has('repositories')) return 'docker';
  return 'rootfs';
}

/** Lists the tarball with GNU tar, which also reads gzip/xz/zstd-compressed files. */
export async function classifyTarball(file: string): Promise<ArchiveKind> {
  const { stdout } = await runTool('tar', ['-tf', file]);
  return classifyEntries(stdout.split('\n').filter(Boolean));
}

/** The version skiff reports: Kubernetes 1.32, so kubectl 1.31–1.33 are all within skew. */
export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';
export const GIT_VERSION = 'v1.32.0+skiff';

export function versionInfo(): Record<string, string> {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: GIT_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

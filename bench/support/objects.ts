/** Request bodies shared by the API benchmarks. */

/** A ConfigMap whose JSON is exactly `bytes` long (padding in data.pad). */
export function configMapJson(namespace: string, name: string, bytes = 1024, data: Record<string, string> = {}): string {
  const build = (pad: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { ...data, pad } });
  return build('x'.repeat(Math.max(0, bytes - build('').length)));
}

export function namespaceJson(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/**
 * Docker's reference normalisation: `busybox` → `docker.io/library/busybox:latest`,
 * `me/app` → `docker.io/me/app:latest`, `reg:5000/app` → `reg:5000/app:latest`.
 * CRI and containerd store images under the normalised name.
 */
export function normalizeImageName(ref: string): string {
  let name = ref.trim();
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
  const lastSlash = name.lastIndexOf('/');
  const tail = name.slice(lastSlash + 1);
  if (!name.includes('@') && !tail.includes(':')) name += ':latest';
  return name;
}

/** The tag part of a normalised name (`latest` for digest-only references). */
export function imageTag(name: string): string {
  if (name.includes('@')) return 'latest';
  const tail = name.slice(name.lastIndexOf('/') + 1);
  const colon = tail.lastIndexOf(':');
  return colon < 0 ? 'latest' : tail.slice(colon + 1);
}

/**
 * Prefix ranges over keys. Keys compare by code unit, which equals etcd's and SQLite's
 * byte order for the ASCII keys skiff uses.
 */

/** The smallest key greater than every key starting with `prefix`; '' means "no upper bound". */
export function prefixEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const code = prefix.charCodeAt(i);
    if (code < 0xffff) return prefix.slice(0, i) + String.fromCharCode(code + 1);
  }
  return '';
}

export function hasPrefix(key: string, prefix: string): boolean {
  return prefix === '' || key.startsWith(prefix);
}

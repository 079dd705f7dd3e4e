/**
 * The certificate library, loaded on first use: CSRs are rare, and start-up should not pay
 * for parsing it. @peculiar/x509 resolves its services through tsyringe, which needs the
 * Reflect metadata API to be installed first.
 */
import { webcrypto } from 'node:crypto';

export type X509Lib = typeof import('@peculiar/x509');

let loading: Promise<X509Lib> | undefined;

export function loadX509(): Promise<X509Lib> {
  loading ??= (async () => {
    await import('reflect-metadata');
    const lib = await import('@peculiar/x509');
    lib.cryptoProvider.set(webcrypto as unknown as Crypto);
    return lib;
  })();
  return loading;
}

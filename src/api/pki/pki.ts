/**
 * The cluster's certificates, generated on first start and reused afterwards:
 * a cluster CA, the apiserver's serving certificate (SANs: kubernetes, kubernetes.default,
 * …svc, …svc.cluster.local, the `kubernetes` service IP, localhost, node names and every
 * --tls-san) and an admin client certificate (CN=system:admin, O=system:masters).
 * ECDSA P-256 keys: fast to generate, accepted by kubectl and the official clients.
 */
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { loadX509, type X509Lib } from './x509-lib.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
// The certificate library is loaded on first use (certificates are made on first start and
// on renewal only), keeping it off every restart's start-up path.

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

export interface KeyPairPem {
  cert: string;
  key: string;
}

export interface ClusterPki {
  ca: KeyPairPem;
  serving: KeyPairPem;
  admin: KeyPairPem;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const x509 = await loadX509();
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const x509 = await loadX509();
  const der = x509.PemConverter.decode(pem)[0];
  return webcrypto.subtle.importKey('pkcs8', der, alg, true, ['sign']);
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

export async function createCA(commonName: string): Promise<KeyPairPem> {
  const x509 = await loadX509();
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3650 * DAY),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyToPem(keys.privateKey) };
}

export interface IssueOptions {
  commonName: string;
  organizations?: string[];
  /** DNS names and IP addresses. */
  sans?: string[];
  usage: 'server' | 'client';
  days?: number;
}

export async function issueCertificate(ca: KeyPairPem, opts: IssueOptions): Promise<KeyPairPem> {
  const x509 = await loadX509();
  const keys = await newKeys();
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importKey(ca.key);
  const now = Date.now();
  const subject = [`CN=${opts.commonName}`, ...(opts.organizations ?? []).map((o) => `O=${o}`)].join(', ');
  const extensions: InstanceType<X509Lib['Extension']>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (opts.sans?.length) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        [...new Set(opts.sans)].map((s) => ({ type: isIP(s) ? 'ip' : 'dns', value: s }) as import('@peculiar/x509').JsonGeneralName),
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (opts.days ?? 365) * DAY),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: alg,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await keyToPem(keys.privateKey) };
}

async function readPair(dir: string, name: string): Promise<KeyPairPem | undefined> {
  try {
    return {
      cert: await readFile(join(dir, `${name}.crt`), 'utf8'),
      key: await readFile(join(dir, `${name}.key`), 'utf8'),
    };
  } catch {
    return undefined;
  }
}

async function writePair(dir: string, name: string, pair: KeyPairPem): Promise<void> {
  await writeFile(join(dir, `${name}.key`), pair.key, { mode: 0o600 });
  await writeFile(join(dir, `${name}.crt`), pair.cert, { mode: 0o644 });
}

/** True when the certificate covers every wanted SAN and is valid for more than 90 days. */
function servingCertFits(pem: string, sans: string[]): boolean {
  const cert = new NodeX509(pem);
  if (Date.parse(cert.validTo) - Date.now() < 90 * DAY) return false;
  const have = (cert.subjectAltName ?? '').split(', ').map((s) => s.replace(/^(DNS|IP Address):/, ''));
  return sans.every((s) => have.includes(s));
}

/**
 * Loads the cluster PKI from `<dataDir>/tls`, creating what is missing. The serving
 * certificate is re-issued when the wanted SANs change or it nears expiry.
 */
export async function ensurePki(dataDir: string, sans: string[]): Promise<ClusterPki> {
  const dir = join(dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let ca = await readPair(dir, 'server-ca');
  if (!ca) {
    ca = await createCA(`skiff-server-ca@${Math.floor(Date.now() / 1000)}`);
    await writePair(dir, 'server-ca', ca);
  }
  let serving = await readPair(dir, 'serving-kube-apiserver');
  if (!serving || !servingCertFits(serving.cert, sans)) {
    serving = await issueCertificate(ca, { commonName: 'kube-apiserver', sans, usage: 'server' });
    await writePair(dir, 'serving-kube-apiserver', serving);
  }
  let admin = await readPair(dir, 'client-admin');
  if (!admin) {
    admin = await issueCertificate(ca, {
      commonName: 'system:admin',
      organizations: ['system:masters'],
      usage: 'client',
      days: 3650,
    });
    await writePair(dir, 'client-admin', admin);
  }
  return { ca, serving, admin };
}

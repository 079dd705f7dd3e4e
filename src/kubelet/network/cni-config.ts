/**
 * The node's pod network as one CNI conflist: a bridge with host-local IPAM on the node's
 * podCIDR (gateway, masquerade, hairpin, the uplink's MTU) plus portmap for hostPorts.
 * containerd reads it from its CNI conf dir and turns NetworkReady true once it appears.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_BRIDGE = 'skiff0';
export const CONFLIST_NAME = '10-skiff.conflist';

export interface CniNetworkInput {
  bridge: string;
  podCIDR: string;
  mtu: number;
  /** host-local's lease folder (so leases live and die with the agent's data). */
  ipamDataDir: string;
}

/** A bridge other than the default gets its own network name, so parallel nodes never share one. */
export function networkName(bridge: string): string {
  return bridge === DEFAULT_BRIDGE ? 'skiff' : `skiff-${bridge}`;
}

export function renderConflist(n: CniNetworkInput): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: networkName(n.bridge),
      plugins: [
        {
          type: 'bridge',
          bridge: n.bridge,
          isGateway: true,
          ipMasq: true,
          // NOTE: hairpinMode and promiscMode together break service hairpin traffic; hairpin only.
          hairpinMode: true,
          mtu: n.mtu,
          ipam: { type: 'host-local', ranges: [[{ subnet: n.podCIDR }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: n.ipamDataDir },
        },
        { type: 'portmap', capabilities: { portMappings: true }, snat: true },
      ],
    },
    null,
    2,
  );
}

/** Writes the conflist atomically, and only when it differs (containerd reloads on change). */
export function writeConflist(confDir: string, n: CniNetworkInput): string {
  mkdirSync(confDir, { recursive: true });
  mkdirSync(n.ipamDataDir, { recursive: true });
  const path = join(confDir, CONFLIST_NAME);
  const text = renderConflist(n);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // first start
  }
  if (current !== text) {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  }
  return path;
}

/** Pods reach beyond the node only with forwarding on; the host may start with it off. */
export function enableIPForwarding(): void {
  const path = '/proc/sys/net/ipv4/ip_forward';
  if (readFileSync(path, 'utf8').trim() !== '1') writeFileSync(path, '1');
}

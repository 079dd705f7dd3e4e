/**
 * Builds Endpoints subsets the way upstream's RepackSubsets leaves them: addresses that serve
 * exactly the same set of ports share one subset; addresses and ports sorted so that an
 * unchanged world always yields an identical object (and no write).
 */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

interface Entry {
  address: EndpointAddress;
  ready: boolean;
  ports: EndpointPort[];
}

const portKey = (p: EndpointPort) => `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol}\u0000${p.appProtocol ?? ''}`;
const addressKey = (a: EndpointAddress) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;

export class SubsetBuilder {
  private readonly entries = new Map<string, Entry>();

  /** Records that `address` serves `port` (no port: a headless Service without ports). */
  add(address: EndpointAddress, ready: boolean, port?: EndpointPort): void {
    const key = addressKey(address);
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { address, ready, ports: [] }));
    if (port && !e.ports.some((p) => portKey(p) === portKey(port))) e.ports.push(port);
  }

  build(): EndpointSubset[] {
    const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
    for (const e of this.entries.values()) {
      const ports = [...e.ports].sort(comparePorts);
      const key = ports.map(portKey).join('\u0001');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
      (e.ready ? g.ready : g.notReady).push(e.address);
    }
    const subsets: EndpointSubset[] = [];
    for (const g of groups.values()) {
      const s: EndpointSubset = {};
      if (g.ready.length) s.addresses = g.ready.sort(compareAddresses);
      if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(compareAddresses);
      if (g.ports.length) s.ports = g.ports;
      subsets.push(s);
    }
    return subsets.sort((a, b) => subsetSortKey(a).localeCompare(subsetSortKey(b)));
  }
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  return (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || a.protocol.localeCompare(b.protocol);
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip.localeCompare(b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
}

function subsetSortKey(s: EndpointSubset): string {
  return (s.ports ?? []).map(portKey).join('\u0001');
}

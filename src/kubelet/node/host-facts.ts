/**
 * Facts about the machine the Node object reports: resources, addresses, OS and kernel, and
 * the machine and boot IDs. Read once at start (and the disk size on every status update).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, networkInterfaces, release, totalmem } from 'node:os';

export interface HostFacts {
  cpu: number;
  memoryBytes: number;
  kernelVersion: string;
  osImage: string;
  architecture: string;
  machineID: string;
  bootID: string;
  systemUUID: string;
}

function readTrim(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

export function osImage(osRelease = readTrim('/etc/os-release')): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  if (!m) return 'Linux';
  return m[1].replace(/^["']|["']$/g, '');
}

/** Kubernetes spells architectures the Go way. */
export function goArch(nodeArch: string = arch()): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

export function hostFacts(): HostFacts {
  const machineID = readTrim('/etc/machine-id') || readTrim('/var/lib/dbus/machine-id');
  return {
    cpu: cpus().length,
    memoryBytes: totalmem(),
    kernelVersion: release(),
    osImage: osImage(),
    architecture: goArch(),
    machineID,
    bootID: readTrim('/proc/sys/kernel/random/boot_id'),
    systemUUID: readTrim('/sys/class/dmi/id/product_uuid') || machineID,
  };
}

/** Size of the filesystem holding `dir`, in bytes. */
export function filesystemBytes(dir: string): number {
  try {
    const s = statfsSync(dir);
    return Number(s.blocks) * Number(s.bsize);
  } catch {
    return 0;
  }
}

/** The interface of the default route, or undefined without one. */
export function defaultRouteInterface(): string | undefined {
  try {
    return /\bdev (\S+)/.exec(execFileSync('ip', ['-4', 'route', 'show', 'default'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

/** The node IP: the default route's interface address, else the first non-internal IPv4. */
export function defaultNodeIP(): string {
  const all = networkInterfaces();
  const dev = defaultRouteInterface();
  const pick = (list: ReturnType<typeof networkInterfaces>[string]) => list?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  return (dev && pick(all[dev])) || Object.values(all).map(pick).find(Boolean) || '127.0.0.1';
}

export function interfaceMTU(dev: string | undefined): number {
  if (!dev) return 1500;
  return Number(readTrim(`/sys/class/net/${dev}/mtu`)) || 1500;
}

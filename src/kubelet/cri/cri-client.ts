/**
 * A CRI v1 client: promise methods over the runtime's unix socket, each call with a
 * deadline. Speaks only the subset in api-proto.ts; int64 values travel as strings.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { CRI_V1_PROTO } from './api-proto.js';
import { toCriError } from './errors.js';
import type {
  AttachRequest,
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatsFilter,
  ContainerStatusResponse,
  ExecRequest,
  ExecSyncResponse,
  FilesystemUsage,
  Image,
  ImageSpec,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStats,
  PodSandboxStatusResponse,
  StatusResponse,
  StringMap,
  VersionResponse,
} from './types.js';

export interface CriClientOptions {
  /** `unix:///path/to/containerd.sock` or a bare socket path. */
  endpoint: string;
  /** Deadline of ordinary calls (default 2 minutes, as the kubelet's runtime-request-timeout). */
  timeoutMs?: number;
  /** Deadline of PullImage (default 30 minutes; pulls of large images are slow). */
  pullTimeoutMs?: number;
}

interface CallOptions {
  timeoutMs?: number;
}

type Unary = (
  req: object,
  meta: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, res: unknown) => void,
) => void;

let packageDefinition: protoLoader.PackageDefinition | undefined;

/** Parsed once per process: the definition is immutable and costs a few ms to build. */
function definition(): protoLoader.PackageDefinition {
  if (!packageDefinition) {
    const root = protobuf.parse(CRI_V1_PROTO, { keepCase: true }).root;
    packageDefinition = protoLoader.fromJSON(root.toJSON(), {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
  }
  return packageDefinition;
}

export function criTarget(endpoint: string): string {
  if (endpoint.startsWith('unix://')) return `unix://${endpoint.slice('unix://'.length)}`;
  if (endpoint.startsWith('unix:')) return endpoint;
  return `unix://${endpoint}`;
}

export class CriClient {
  private readonly runtime: grpc.Client;
  private readonly images: grpc.Client;
  private readonly timeoutMs: number;
  private readonly pullTimeoutMs: number;

  constructor(opts: CriClientOptions) {
    const pkg = grpc.loadPackageDefinition(definition()) as unknown as {
      runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor; ImageService: grpc.ServiceClientConstructor } };
    };
    const target = criTarget(opts.endpoint);
    // NOTE: kubelet raises the message limit to 16 MiB; ListContainers on a busy node and
    // ExecSync output exceed grpc-js's 4 MiB default.
    const channelOptions = {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
    };
    this.runtime = new pkg.runtime.v1.RuntimeService(target, grpc.credentials.createInsecure(), channelOptions);
    // Sharing the channel keeps one connection per socket.
    this.images = new pkg.runtime.v1.ImageService(target, grpc.credentials.createInsecure(), {
      ...channelOptions,
      channelOverride: this.runtime.getChannel(),
    });
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.pullTimeoutMs = opts.pullTimeoutMs ?? 30 * 60_000;
  }

  close(): void {
    this.images.close();
    this.runtime.close();
  }

  private call<T>(client: grpc.Client, method: string, req: object, timeoutMs: number): Promise<T> {
    const fn = (client as unknown as Record<string, Unary>)[method];
    return new Promise<T>((resolve, reject) => {
      fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(toCriError(method, err));
        else resolve(res as T);
      });
    });
  }

  private rt<T>(method: string, req: object, opts?: CallOptions): Promise<T> {
    return this.call<T>(this.runtime, method, req, opts?.timeoutMs ?? this.timeoutMs);
  }

  private img<T>(method: string, req: object, opts?: CallOptions): Promise<T> {
    return this.call<T>(this.images, method, req, opts?.timeoutMs ?? this.timeoutMs);
  }

  // ---- runtime

  version(opts?: CallOptions): Promise<VersionResponse> {
    return this.rt('Version', { version: 'v1' }, opts);
  }

  status(verbose = false, opts?: CallOptions): Promise<StatusResponse> {
    return this.rt('Status', { verbose }, opts);
  }

  async updateRuntimeConfig(podCIDR: string, opts?: CallOptions): Promise<void> {
    await this.rt('UpdateRuntimeConfig', { runtime_config: { network_config: { pod_cidr: podCIDR } } }, opts);
  }

  // ---- sandboxes

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = '', opts?: CallOptions): Promise<string> {
    const res = await this.rt<{ pod_sandbox_id: string }>('RunPodSandbox', { config, runtime_handler: runtimeHandler }, opts);
    return res.pod_sandbox_id;
  }

  async stopPodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void> {
    await this.rt('StopPodSandbox', { pod_sandbox_id: podSandboxId }, opts);
  }

  async removePodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void> {
    await this.rt('RemovePodSandbox', { pod_sandbox_id: podSandboxId }, opts);
  }

  podSandboxStatus(podSandboxId: string, verbose = false, opts?: CallOptions): Promise<PodSandboxStatusResponse> {
    return this.rt('PodSandboxStatus', { pod_sandbox_id: podSandboxId, verbose }, opts);
  }

  async listPodSandbox(filter?: PodSandboxFilter, opts?: CallOptions): Promise<PodSandbox[]> {
    const res = await this.rt<{ items: PodSandbox[] }>('ListPodSandbox', { filter }, opts);
    return res.items;
  }

  // ---- containers

  async createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
    opts?: CallOptions,
  ): Promise<string> {
    const res = await this.rt<{ container_id: string }>(
      'CreateContainer',
      { pod_sandbox_id: podSandboxId, config, sandbox_config: sandboxConfig },
      opts,
    );
    return res.container_id;
  }

  async startContainer(containerId: string, opts?: CallOptions): Promise<void> {
    await this.rt('StartContainer', { container_id: containerId }, opts);
  }

  /** `timeoutSeconds` is the grace period before SIGKILL; the call deadline adds to it. */
  async stopContainer(containerId: string, timeoutSeconds: number, opts?: CallOptions): Promise<void> {
    const deadline = opts?.timeoutMs ?? this.timeoutMs + timeoutSeconds * 1000;
    await this.rt('StopContainer', { container_id: containerId, timeout: String(timeoutSeconds) }, { timeoutMs: deadline });
  }

  async removeContainer(containerId: string, opts?: CallOptions): Promise<void> {
    await this.rt('RemoveContainer', { container_id: containerId }, opts);
  }

  async listContainers(filter?: ContainerFilter, opts?: CallOptions): Promise<Container[]> {
    const res = await this.rt<{ containers: Container[] }>('ListContainers', { filter }, opts);
    return res.containers;
  }

  containerStatus(containerId: string, verbose = false, opts?: CallOptions): Promise<ContainerStatusResponse> {
    return this.rt('ContainerStatus', { container_id: containerId, verbose }, opts);
  }

  async updateContainerResources(
    containerId: string,
    linux: LinuxContainerResources,
    opts?: CallOptions,
  ): Promise<void> {
    await this.rt('UpdateContainerResources', { container_id: containerId, linux }, opts);
  }

  async reopenContainerLog(containerId: string, opts?: CallOptions): Promise<void> {
    await this.rt('ReopenContainerLog', { container_id: containerId }, opts);
  }

  /** `timeoutSeconds` 0 lets the command run until it exits (the call deadline still applies). */
  execSync(containerId: string, cmd: string[], timeoutSeconds = 0, opts?: CallOptions): Promise<ExecSyncResponse> {
    const deadline = opts?.timeoutMs ?? this.timeoutMs + timeoutSeconds * 1000;
    return this.rt('ExecSync', { container_id: containerId, cmd, timeout: String(timeoutSeconds) }, { timeoutMs: deadline });
  }

  /** Returns the one-time streaming URL on the runtime's stream server. */
  async exec(req: ExecRequest, opts?: CallOptions): Promise<string> {
    return (await this.rt<{ url: string }>('Exec', req, opts)).url;
  }

  async attach(req: AttachRequest, opts?: CallOptions): Promise<string> {
    return (await this.rt<{ url: string }>('Attach', req, opts)).url;
  }

  async portForward(podSandboxId: string, ports: number[], opts?: CallOptions): Promise<string> {
    return (await this.rt<{ url: string }>('PortForward', { pod_sandbox_id: podSandboxId, port: ports }, opts)).url;
  }

  // ---- stats

  async containerStats(containerId: string, opts?: CallOptions): Promise<ContainerStats | null> {
    return (await this.rt<{ stats: ContainerStats | null }>('ContainerStats', { container_id: containerId }, opts)).stats;
  }

  async listContainerStats(filter?: ContainerStatsFilter, opts?: CallOptions): Promise<ContainerStats[]> {
    return (await this.rt<{ stats: ContainerStats[] }>('ListContainerStats', { filter }, opts)).stats;
  }

  async podSandboxStats(podSandboxId: string, opts?: CallOptions): Promise<PodSandboxStats | null> {
    return (await this.rt<{ stats: PodSandboxStats | null }>('PodSandboxStats', { pod_sandbox_id: podSandboxId }, opts)).stats;
  }

  async listPodSandboxStats(
    filter?: { id?: string; label_selector?: StringMap },
    opts?: CallOptions,
  ): Promise<PodSandboxStats[]> {
    return (await this.rt<{ stats: PodSandboxStats[] }>('ListPodSandboxStats', { filter }, opts)).stats;
  }

  // ---- images

  async listImages(filter?: ImageSpec, opts?: CallOptions): Promise<Image[]> {
    const res = await this.img<{ images: Image[] }>('ListImages', { filter: filter ? { image: filter } : undefined }, opts);
    return res.images;
  }

  /** null when the runtime does not have the image (CRI answers without an error). */
  async imageStatus(image: string | ImageSpec, opts?: CallOptions): Promise<Image | null> {
    const spec = typeof image === 'string' ? { image } : image;
    return (await this.img<{ image: Image | null }>('ImageStatus', { image: spec }, opts)).image;
  }

  /** Returns the image reference (the image ID on containerd). */
  async pullImage(
    image: string | ImageSpec,
    auth?: AuthConfig,
    sandboxConfig?: PodSandboxConfig,
    opts?: CallOptions,
  ): Promise<string> {
    const spec = typeof image === 'string' ? { image } : image;
    const res = await this.img<{ image_ref: string }>(
      'PullImage',
      { image: spec, auth, sandbox_config: sandboxConfig },
      { timeoutMs: opts?.timeoutMs ?? this.pullTimeoutMs },
    );
    return res.image_ref;
  }

  /** Removes the image and every tag sharing its ID; succeeds when it is already gone. */
  async removeImage(image: string | ImageSpec, opts?: CallOptions): Promise<void> {
    const spec = typeof image === 'string' ? { image } : image;
    await this.img('RemoveImage', { image: spec }, opts);
  }

  async imageFsInfo(opts?: CallOptions): Promise<FilesystemUsage[]> {
    return (await this.img<{ image_filesystems: FilesystemUsage[] }>('ImageFsInfo', {}, opts)).image_filesystems;
  }
}

/**
 * TypeScript shapes of the CRI v1 messages skiff uses, as the proto loader produces them:
 * field names exactly as on the wire (snake_case), int64/uint64 as decimal strings, enums
 * as their names, bytes as Buffer. Requests may leave fields out (proto3 defaults);
 * responses carry every field (loaded with `defaults: true`; unset messages are null).
 */

export type Int64 = string;
export type StringMap = Record<string, string>;

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type ProfileType = 'RuntimeDefault' | 'Unconfined' | 'Localhost';

export interface VersionResponse {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}
export interface StatusResponse {
  status: { conditions: RuntimeCondition[] } | null;
  info: StringMap;
}

export interface Int64Value {
  value: Int64;
}
export interface UInt64Value {
  value: Int64;
}
export interface KeyValue {
  key: string;
  value: string;
}
export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}
export interface PortMapping {
  protocol?: Protocol;
  container_port?: number;
  host_port?: number;
  host_ip?: string;
}
export interface Mount {
  container_path: string;
  host_path: string;
  readonly?: boolean;
  selinux_relabel?: boolean;
  propagation?: MountPropagation;
}
export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  target_id?: string;
}
export interface SecurityProfile {
  profile_type?: ProfileType;
  localhost_ref?: string;
}
export interface LinuxSandboxSecurityContext {
  namespace_options?: NamespaceOption;
  run_as_user?: Int64Value;
  run_as_group?: Int64Value;
  readonly_rootfs?: boolean;
  supplemental_groups?: Int64[];
  privileged?: boolean;
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}
export interface LinuxContainerResources {
  cpu_period?: Int64;
  cpu_quota?: Int64;
  cpu_shares?: Int64;
  memory_limit_in_bytes?: Int64;
  oom_score_adj?: Int64;
  cpuset_cpus?: string;
  cpuset_mems?: string;
  unified?: StringMap;
  memory_swap_limit_in_bytes?: Int64;
}
export interface LinuxPodSandboxConfig {
  cgroup_parent?: string;
  security_context?: LinuxSandboxSecurityContext;
  sysctls?: StringMap;
  overhead?: LinuxContainerResources;
  resources?: LinuxContainerResources;
}
export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  log_directory?: string;
  dns_config?: DNSConfig;
  port_mappings?: PortMapping[];
  labels?: StringMap;
  annotations?: StringMap;
  linux?: LinuxPodSandboxConfig;
}

export interface PodSandboxStatus {
  id: string;
  metadata: Required<PodSandboxMetadata> | null;
  state: PodSandboxState;
  created_at: Int64;
  network: { ip: string; additional_ips: { ip: string }[] } | null;
  linux: { namespaces: { options: NamespaceOption | null } | null } | null;
  labels: StringMap;
  annotations: StringMap;
  runtime_handler: string;
}
export interface PodSandboxStatusResponse {
  status: PodSandboxStatus | null;
  info: StringMap;
}
export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  label_selector?: StringMap;
}
export interface PodSandbox {
  id: string;
  metadata: Required<PodSandboxMetadata> | null;
  state: PodSandboxState;
  created_at: Int64;
  labels: StringMap;
  annotations: StringMap;
  runtime_handler: string;
}

export interface ImageSpec {
  image: string;
  annotations?: StringMap;
  user_specified_image?: string;
}
export interface Capability {
  add_capabilities?: string[];
  drop_capabilities?: string[];
  add_ambient_capabilities?: string[];
}
export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespace_options?: NamespaceOption;
  run_as_user?: Int64Value;
  run_as_username?: string;
  readonly_rootfs?: boolean;
  supplemental_groups?: Int64[];
  no_new_privs?: boolean;
  run_as_group?: Int64Value;
  masked_paths?: string[];
  readonly_paths?: string[];
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}
export interface ContainerMetadata {
  name: string;
  attempt?: number;
}
export interface Device {
  container_path: string;
  host_path: string;
  permissions: string;
}
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  working_dir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: StringMap;
  annotations?: StringMap;
  log_path?: string;
  stdin?: boolean;
  stdin_once?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; security_context?: LinuxContainerSecurityContext };
}

export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  pod_sandbox_id?: string;
  label_selector?: StringMap;
}
export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: Required<ContainerMetadata> | null;
  image: ImageSpec | null;
  image_ref: string;
  state: ContainerState;
  created_at: Int64;
  labels: StringMap;
  annotations: StringMap;
}
export interface ContainerStatus {
  id: string;
  metadata: Required<ContainerMetadata> | null;
  state: ContainerState;
  created_at: Int64;
  started_at: Int64;
  finished_at: Int64;
  exit_code: number;
  image: ImageSpec | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: StringMap;
  annotations: StringMap;
  mounts: Mount[];
  log_path: string;
  resources: { linux: LinuxContainerResources | null } | null;
}
export interface ContainerStatusResponse {
  status: ContainerStatus | null;
  info: StringMap;
}

export interface ExecSyncResponse {
  stdout: Buffer;
  stderr: Buffer;
  exit_code: number;
}
export interface ExecRequest {
  container_id: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}
export interface AttachRequest {
  container_id: string;
  stdin?: boolean;
  tty?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface FilesystemUsage {
  timestamp: Int64;
  fs_id: { mountpoint: string } | null;
  used_bytes: UInt64Value | null;
  inodes_used: UInt64Value | null;
}
export interface CpuUsage {
  timestamp: Int64;
  usage_core_nano_seconds: UInt64Value | null;
  usage_nano_cores: UInt64Value | null;
}
export interface MemoryUsage {
  timestamp: Int64;
  working_set_bytes: UInt64Value | null;
  available_bytes: UInt64Value | null;
  usage_bytes: UInt64Value | null;
  rss_bytes: UInt64Value | null;
  page_faults: UInt64Value | null;
  major_page_faults: UInt64Value | null;
}
export interface ContainerStats {
  attributes: {
    id: string;
    metadata: Required<ContainerMetadata> | null;
    labels: StringMap;
    annotations: StringMap;
  } | null;
  cpu: CpuUsage | null;
  memory: MemoryUsage | null;
  writable_layer: FilesystemUsage | null;
}
export interface ContainerStatsFilter {
  id?: string;
  pod_sandbox_id?: string;
  label_selector?: StringMap;
}
export interface PodSandboxStats {
  attributes: {
    id: string;
    metadata: Required<PodSandboxMetadata> | null;
    labels: StringMap;
    annotations: StringMap;
  } | null;
  linux: {
    cpu: CpuUsage | null;
    memory: MemoryUsage | null;
    network: {
      timestamp: Int64;
      default_interface: {
        name: string;
        rx_bytes: UInt64Value | null;
        rx_errors: UInt64Value | null;
        tx_bytes: UInt64Value | null;
        tx_errors: UInt64Value | null;
      } | null;
    } | null;
    process: { timestamp: Int64; process_count: UInt64Value | null } | null;
    containers: ContainerStats[];
  } | null;
}

export interface Image {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: Int64;
  uid: Int64Value | null;
  username: string;
  spec: ImageSpec | null;
  pinned: boolean;
}
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  server_address?: string;
  identity_token?: string;
  registry_token?: string;
}

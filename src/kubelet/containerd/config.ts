/**
 * containerd's config.toml (version 2) for a skiff node. The CRI plugin settings are the
 * ones that matter on these machines (see shared/reference/node-runtime-notes.md).
 */
export interface ContainerdConfigInput {
  root: string;
  state: string;
  address: string;
  sandboxImage: string;
  runcBinary: string;
  runcRoot: string;
  cniBinDir: string;
  cniConfDir: string;
  registryConfigDir: string;
}

/** TOML basic strings share JSON's escapes for everything a path or image name contains. */
const str = (s: string) => JSON.stringify(s);

export function renderContainerdConfig(c: ContainerdConfigInput): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `# Written by skiff at every start; edits are overwritten.
version = 2
root = ${str(c.root)}
state = ${str(c.state)}
oom_score = 0
# Snapshotters skiff never uses only add start-up noise and time.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = ${str(c.address)}

[plugins."io.containerd.internal.v1.opt"]
  path = ${str(c.root + '/opt')}

[${cri}]
  sandbox_image = ${str(c.sandboxImage)}
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # NOTE: root here may lack CAP_SYS_RESOURCE; a negative oom_score_adj then makes runc fail
  # with "can't get final child's PID from pipe: EOF". Clamping avoids that.
  restrict_oom_score_adj = true
  systemd_cgroup = false
  disable_hugetlb_controller = true
  tolerate_missing_hugetlb_controller = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  max_container_log_line_size = 16384

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  BinaryName = ${str(c.runcBinary)}
  Root = ${str(c.runcRoot)}
  SystemdCgroup = false

[${cri}.cni]
  bin_dir = ${str(c.cniBinDir)}
  conf_dir = ${str(c.cniConfDir)}
  max_conf_num = 1

[${cri}.registry]
  config_path = ${str(c.registryConfigDir)}
`;
}

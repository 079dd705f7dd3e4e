import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderContainerdConfig } from './config.js';
import { agentPaths } from './paths.js';

test('containerd config carries the settings these machines need', () => {
  const p = agentPaths('/var/lib/skiff/server');
  const toml = renderContainerdConfig({
    root: p.containerdRoot,
    state: p.containerdState,
    address: p.containerdSocket,
    sandboxImage: 'skiff.local/pause:1',
    runcBinary: '/usr/sbin/runc',
    runcRoot: p.runcRoot,
    cniBinDir: '/usr/lib/cni',
    cniConfDir: p.cniConfDir,
    registryConfigDir: p.registryConfigDir,
  });
  for (const line of [
    'version = 2',
    'root = "/var/lib/skiff/server/agent/containerd/root"',
    'address = "/var/lib/skiff/server/agent/containerd/containerd.sock"',
    'sandbox_image = "skiff.local/pause:1"',
    'stream_server_address = "127.0.0.1"',
    'stream_server_port = "0"',
    'restrict_oom_score_adj = true',
    'systemd_cgroup = false',
    'disable_hugetlb_controller = true',
    'tolerate_missing_hugetlb_controller = true',
    'netns_mounts_under_state_dir = true',
    'snapshotter = "overlayfs"',
    'runtime_type = "io.containerd.runc.v2"',
    'BinaryName = "/usr/sbin/runc"',
    'Root = "/var/lib/skiff/server/agent/containerd/runc"',
    'SystemdCgroup = false',
    'bin_dir = "/usr/lib/cni"',
    'conf_dir = "/var/lib/skiff/server/agent/cni/net.d"',
    'max_conf_num = 1',
    'config_path = "/var/lib/skiff/server/agent/containerd/certs.d"',
  ]) {
    assert.ok(toml.split('\n').some((l) => l.trim() === line), `missing: ${line}`);
  }
});

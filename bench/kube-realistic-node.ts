// A Node object of realistic size (~10 KB of JSON: labels, kubelet annotations, managedFields, conditions,
// addresses, nodeInfo, 20 images) carrying flannel's annotations, as flanneld on that node left them: podCIDR
// 10.<a>.<b>.0/24, VtepMAC 0e:2a:00:00:<a>:<b>, public IP 172.16.<a>.<b> with a = index >> 8, b = index & 255.
// Shared by bench/kube-coldstart.ts and bench/kube-daemon-coldstart.ts.

/** Node number `index` (0 ≤ index < 65,536) of the benchmark cluster, as the API server returns it. */
export function realisticNode(index: number): Record<string, unknown> {
  const a = (index >> 8) & 255;
  const b = index & 255;
  const name = `worker-${String(index).padStart(5, '0')}.cluster.example.internal`;
  const time = '2026-11-30T08:15:42Z';
  const managed = (manager: string, fields: Record<string, unknown>) => ({ manager, operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: fields });
  const images = Array.from({ length: 20 }, (_, i) => ({
    names: [`registry.example.com/team-${i}/service-${i}@sha256:${(index * 31 + i).toString(16).padStart(64, '0')}`, `registry.example.com/team-${i}/service-${i}:v1.${i}.${index % 7}`],
    sizeBytes: 10_000_000 + i * 1_234_567,
  }));
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name,
      uid: `3f0c${index.toString(16).padStart(8, '0')}-1b2c-4d5e-8f90-a1b2c3d4e5f6`,
      resourceVersion: String(1000 + index),
      creationTimestamp: time,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm5.2xlarge', 'topology.kubernetes.io/region': 'eu-west-1',
        'topology.kubernetes.io/zone': `eu-west-1${'abc'[index % 3]}`, 'node-role.kubernetes.io/worker': '', pool: `pool-${index % 12}`,
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        'csi.volume.kubernetes.io/nodeid': `{"ebs.csi.aws.com":"i-0${index.toString(16).padStart(16, '0')}"}`,
        'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/backend-data': `{"VNI":1,"VtepMAC":"0e:2a:00:00:${a.toString(16).padStart(2, '0')}:${b.toString(16).padStart(2, '0')}"}`,
        'flannel.alpha.coreos.com/public-ip': `172.16.${a}.${b}`,
      },
      managedFields: [
        managed('kubelet', { 'f:metadata': { 'f:annotations': { '.': {}, 'f:node.alpha.kubernetes.io/ttl': {}, 'f:volumes.kubernetes.io/controller-managed-attach-detach': {} }, 'f:labels': Object.fromEntries(['arch', 'os', 'hostname', 'instance-type', 'region', 'zone'].map((k) => [`f:${k}`, {}])) }, 'f:spec': { 'f:providerID': {} } }),
        managed('kube-controller-manager', { 'f:spec': { 'f:podCIDR': {}, 'f:podCIDRs': { '.': {}, [`v:"10.${a}.${b}.0/24"`]: {} } } }),
        managed('flanneld', { 'f:metadata': { 'f:annotations': Object.fromEntries(['backend-data', 'backend-type', 'kube-subnet-manager', 'public-ip'].map((k) => [`f:flannel.alpha.coreos.com/${k}`, {}])) }, 'f:status': { 'f:conditions': { 'k:{"type":"NetworkUnavailable"}': { '.': {}, 'f:lastHeartbeatTime': {}, 'f:lastTransitionTime': {}, 'f:message': {}, 'f:reason': {}, 'f:status': {}, 'f:type': {} } } } }),
      ],
    },
    spec: { podCIDR: `10.${a}.${b}.0/24`, podCIDRs: [`10.${a}.${b}.0/24`], providerID: `aws:///eu-west-1a/i-0${index.toString(16).padStart(16, '0')}` },
    status: {
      capacity: { cpu: '8', 'ephemeral-storage': '104845292Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '32386520Ki', pods: '110' },
      allocatable: { cpu: '7910m', 'ephemeral-storage': '95551679124', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '31369688Ki', pods: '110' },
      conditions: [
        { type: 'NetworkUnavailable', status: 'False', lastHeartbeatTime: time, lastTransitionTime: time, reason: 'FlannelIsUp', message: 'Flannel is running on this node' },
        ...['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({ type, status: 'False', lastHeartbeatTime: time, lastTransitionTime: time, reason: `KubeletHasNo${type}`, message: `kubelet has no ${type.toLowerCase()}` })),
        { type: 'Ready', status: 'True', lastHeartbeatTime: time, lastTransitionTime: time, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: `172.16.${a}.${b}` }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: index.toString(16).padStart(32, '0'), systemUUID: `ec2${index.toString(16).padStart(5, '0')}-0000-0000-0000-000000000000`, bootID: `b${index.toString(16).padStart(7, '0')}-1111-2222-3333-444455556666`,
        kernelVersion: '6.1.0-27-cloud-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.24', kubeletVersion: 'v1.32.6', kubeProxyVersion: 'v1.32.6', operatingSystem: 'linux', architecture: 'amd64',
      },
      images,
    },
  };
}

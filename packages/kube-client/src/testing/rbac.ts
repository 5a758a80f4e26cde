// Test-only: the stand-in's users and RBAC allow-lists.

/** One RBAC rule: verbs on resources of the core or a named group (`nodes/status` for a subresource). */
export interface FakeRbacRule {
  readonly apiGroups?: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** A user of the stand-in: a bearer token, a name, and rules (`undefined` = everything allowed). */
export interface FakeUser {
  readonly token: string;
  readonly name: string;
  readonly rules?: readonly FakeRbacRule[];
}

/** kube-flannel.yml's `ClusterRole flannel` (Documentation/kube-flannel.yml, v0.28.9): all flanneld may do. */
export const KUBE_FLANNEL_CLUSTER_ROLE: readonly FakeRbacRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
];

/** Whether `rules` allow `verb` on `resource` (e.g. `nodes/status`) of `group`. */
export function rbacAllows(rules: readonly FakeRbacRule[] | undefined, verb: string, group: string, resource: string): boolean {
  if (rules === undefined) return true;
  return rules.some(
    (rule) =>
      (rule.apiGroups ?? ['']).some((g) => g === '*' || g === group) &&
      rule.resources.some((r) => r === '*' || r === resource) &&
      rule.verbs.some((v) => v === '*' || v === verb),
  );
}

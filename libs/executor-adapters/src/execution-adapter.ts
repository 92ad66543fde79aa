import type { ActionName } from '@vigil/contracts';
import type { TargetState, VerificationKind } from '@vigil/action-catalog';

/**
 * One step of an approved plan as the executor hands it to an adapter. `params` are the
 * catalog-validated parameters; adapters validate them again because they are the last line
 * before a real system changes.
 */
export interface StepRequest {
  planId: string;
  stepId: string;
  action: ActionName;
  target: string;
  params: Record<string, unknown>;
  /**
   * The same key for every re-send of the same step (the executor derives it from plan and step,
   * so it survives an executor crash): a key already applied is answered `already-applied` and
   * nothing changes again.
   */
  idempotencyKey: string;
  /** Show what would change without changing anything. */
  dryRun: boolean;
}

export type StepOutcome = 'applied' | 'already-applied' | 'would-apply' | 'failed';

export interface StepResult {
  outcome: StepOutcome;
  /** What was done or would be done, or why it failed: written for the audit trail. */
  detail: string;
  before?: TargetState;
  /** After an applied step; after a dry-run, the predicted state. */
  after?: TargetState;
}

export interface VerificationRequest {
  kind: VerificationKind;
  target: string;
  /** error-rate-below: a share (0.05 = 5 %); latency-below: p99 in milliseconds. */
  threshold?: number;
  /** How long the check may poll before it fails: a verification is "within N ms", not "now". */
  deadlineMs: number;
}

export interface VerificationResult {
  passed: boolean;
  detail: string;
  /** The measured value (error rate, p99 ms, healthy instances) for the audit trail. */
  observed?: number;
}

/** Whether an adapter can run an action on a target; a refusal always says why. */
export type Capability = { supported: true } | { supported: false; reason: string };

/**
 * The executor's only way to touch a system. The executor owns policy, ordering, audit and
 * rollback; an adapter owns one kind of infrastructure and must be idempotent per key.
 *
 * Contract for every adapter:
 * - `apply` never throws for an expected failure: it answers `failed` with the reason, so the
 *   executor can audit it and roll back. A dry-run never changes the target.
 * - `describe` throws when the target cannot be read (the executor cannot size or undo a step
 *   without it).
 * - `verify` polls until the check passes or `deadlineMs` runs out.
 * - `alerts-resolved` is the executor's own check (it reads the incident's alerts), so adapters
 *   leave it out of `verificationKinds`.
 *
 * How a Kubernetes adapter (@kubernetes/client-node, AppsV1Api/CoreV1Api) fits unchanged, with a
 * target `namespace/deployment`:
 * - describe: readNamespacedDeployment -> replicas = spec.replicas, version = the pod template's
 *   image tag (or a `vigil.io/version` annotation); previousVersion from the ReplicaSet of the
 *   previous `deployment.kubernetes.io/revision`; flags from a ConfigMap if configured.
 * - restart: patch `spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]`
 *   (what `kubectl rollout restart` does; batchSize -> strategy.rollingUpdate.maxUnavailable);
 *   with `instance`: deleteNamespacedPod (the ReplicaSet recreates it).
 * - scale: patchNamespacedDeploymentScale to `replicas`.
 * - rollback-deployment: `rollout undo` is client-side, so: find the ReplicaSet of the previous
 *   revision (or the one whose version is `toVersion`) and patch its pod template into the
 *   Deployment.
 * - drain-instance: createNamespacedPodEviction (honours PodDisruptionBudgets) with
 *   gracePeriodSeconds = graceSeconds.
 * - flush-cache / toggle-feature-flag: a ConfigMap patch or a POST through the pod proxy
 *   (connectPostNamespacedPodProxyWithPath); failover: unsupported unless an operator is
 *   configured; run-diagnostic: readNamespacedPodLog (recent-logs) or exec.
 * - dry-run: the same write with `dryRun: 'All'` (server-side dry run), so supportsDryRun is true
 *   for every mutating action.
 * - idempotency: the patch also writes a `vigil.io/applied-keys` annotation on the Deployment;
 *   a key found there is `already-applied`, which survives a crash of the executor and adapter.
 * - verify: healthy-instances = status.readyReplicas === spec.replicas with updatedReplicas and
 *   observedGeneration caught up (watch or poll until the deadline); probe-succeeds = a ready
 *   endpoint in the Service's Endpoints; error-rate/latency via a configured Prometheus query.
 */
export interface ExecutionAdapter {
  /** Shown in audit events and refusals. */
  readonly name: string;
  readonly verificationKinds: readonly VerificationKind[];
  /**
   * Whether the target is one this adapter acts on at all (whatever the action): an adapter
   * that knows its targets says no to others, one that forwards anywhere says yes (the default).
   */
  serves?(target: string): boolean;
  supports(action: ActionName, target: string): Capability;
  supportsDryRun(action: ActionName, target: string): boolean;
  describe(target: string): Promise<TargetState>;
  apply(request: StepRequest): Promise<StepResult>;
  verify(request: VerificationRequest): Promise<VerificationResult>;
}

/** What a member of a lease group says of itself when it joins. */
export interface LeaseClaim {
  holder: string;
  /** When this instance started: the oldest one takes a free lease. */
  startedAt: number;
  /** When it acquired the lease, if it believes it holds it. */
  heldSince?: number;
}

/**
 * Which member gets the lease. A holder keeps it, so a standby that joins never takes it away.
 * If two believe they hold it (the older one stalled past its session and a standby took over),
 * the later acquisition wins: the older one has already been replaced. A free lease goes to the
 * longest-running member; ties go to the lowest member id, so every leader decides alike.
 */
export function chooseLeaseHolder(
  members: ReadonlyArray<{ memberId: string; claim?: LeaseClaim }>,
): string | undefined {
  const ranked = [...members].sort((a, b) => {
    const heldA = a.claim?.heldSince ?? -Infinity;
    const heldB = b.claim?.heldSince ?? -Infinity;
    if (heldA !== heldB) return heldB - heldA;
    const startA = a.claim?.startedAt ?? Infinity;
    const startB = b.claim?.startedAt ?? Infinity;
    if (startA !== startB) return startA - startB;
    return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
  });
  return ranked[0]?.memberId;
}

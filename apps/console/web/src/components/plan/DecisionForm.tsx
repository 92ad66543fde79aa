// Approve or reject a plan still waiting for a decision, with an optional reason.
import { useState } from 'react';

interface Props {
  busy: boolean;
  onDecide: (decision: 'approve' | 'reject', reason: string) => void;
}

export function DecisionForm({ busy, onDecide }: Props) {
  const [reason, setReason] = useState('');
  return (
    <div className="decide">
      <input
        type="text"
        className="input reason"
        placeholder="Reason (optional)"
        value={reason}
        maxLength={2000}
        onChange={(e) => setReason(e.target.value)}
        data-testid="decision-reason"
        aria-label="Reason for the decision"
      />
      <button
        type="button"
        className="btn primary"
        data-testid="approve-button"
        disabled={busy}
        onClick={() => onDecide('approve', reason.trim())}
      >
        Approve
      </button>
      <button
        type="button"
        className="btn danger-outline"
        data-testid="reject-button"
        disabled={busy}
        onClick={() => onDecide('reject', reason.trim())}
      >
        Reject
      </button>
    </div>
  );
}

// Approve or reject a plan still waiting for a decision, with an optional reason.
import { useState } from 'react';

const choices = [
  { decision: 'approve', label: 'Approve', className: 'btn primary' },
  { decision: 'reject', label: 'Reject', className: 'btn danger-outline' },
] as const;

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
      {choices.map(({ decision, label, className }) => (
        <button
          key={decision}
          type="button"
          className={className}
          data-testid={`${decision}-button`}
          disabled={busy}
          onClick={() => onDecide(decision, reason.trim())}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

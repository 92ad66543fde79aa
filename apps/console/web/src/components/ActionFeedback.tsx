// The outcome of an action a user started (acknowledge, resolve, approve, reject), shown beside
// the buttons that started it.

export interface ActionMessage {
  /** 'incident' for the incident's own buttons, else the plan id. */
  scope: string;
  kind: 'error' | 'done';
  text: string;
}

export function ActionFeedback({ message }: { message: ActionMessage | null | undefined }) {
  if (!message) return null;
  return message.kind === 'error' ? (
    <p className="feedback error" role="alert" data-testid="action-error">
      {message.text}
    </p>
  ) : (
    <p className="feedback done" role="status" data-testid="action-done">
      {message.text}
    </p>
  );
}

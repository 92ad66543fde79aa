// What the incident page's action buttons say and allow, and the line shown once an action is
// done. Pure: no DOM, so jest checks it.
import type { HumanStatus } from './types';

export interface ButtonState {
  label: string;
  disabled: boolean;
  /** Why the button is disabled, when the incident's status is the reason. */
  title?: string;
}

/** Acknowledge is for an open incident; `busy`: another action is still running. */
export function acknowledgeButton(status: HumanStatus, busy: boolean): ButtonState {
  const open = status === 'open';
  return {
    label: open ? 'Acknowledge' : 'Acknowledged',
    disabled: busy || !open,
    title: open ? undefined : `already ${status}`,
  };
}

/** Resolve is for any incident not resolved yet. */
export function resolveButton(status: HumanStatus, busy: boolean): ButtonState {
  const resolved = status === 'resolved';
  return {
    label: resolved ? 'Resolved' : 'Resolve',
    disabled: busy || resolved,
    title: resolved ? 'already resolved' : undefined,
  };
}

export type DoneAction = 'acknowledge' | 'resolve' | 'approve' | 'reject';

const DONE: Record<DoneAction, string> = {
  acknowledge: 'Acknowledged',
  resolve: 'Resolved',
  approve: 'approved',
  reject: 'rejected',
};

/** "Acknowledged by ann", "approved by ann": who the server recorded, else who is signed in. */
export function doneText(action: DoneAction, recordedBy: string | undefined, me: string): string {
  return `${DONE[action]} by ${recordedBy ?? me}`;
}

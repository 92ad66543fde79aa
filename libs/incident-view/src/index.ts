export * from './incident-view.types';
export * from './incident-board';
export * from './plan-state';
export * from './timeline-text';
export * from './action-applicability';
export * from './board-feeds';
export * from './incident-history';
export * from './postmortem';

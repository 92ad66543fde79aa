export * from './llm-config';
export * from './openai-client';
export * from './remediation-prompt';
export * from './runbook-drafter';
export * from './runbook-response-schema';

import type { ChatMessage } from './openai-wire';

/**
 * How chat messages become model input. Pure, so the formats are unit-tested without a model.
 *
 * A GGUF with a chat template gets its own template (node-llama-cpp renders it from
 * {@link toChatHistory}); a base model such as Gemma 3 270M has none, so it gets a plain
 * "Role: text" transcript ending with "Assistant:", which base models continue naturally.
 */

export function messageText(content: ChatMessage['content']): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

const transcriptRole: Record<ChatMessage['role'], string> = {
  system: 'System',
  developer: 'System',
  user: 'User',
  assistant: 'Assistant',
};

export function formatTranscript(messages: readonly ChatMessage[]): string {
  const turns = messages.map((m) => `${transcriptRole[m.role]}: ${messageText(m.content).trim()}`);
  return `${[...turns, 'Assistant:'].join('\n\n')}`;
}

/**
 * Without them a base model writes the user's next turn too; with a grammar the JSON ends the
 * output anyway.
 */
export const TRANSCRIPT_STOP_TRIGGERS: readonly string[] = ['\nUser:', '\nSystem:'];

/** node-llama-cpp's chat history items (structurally), ending with the model's empty turn. */
export type ChatHistoryEntry =
  | { type: 'system'; text: string }
  | { type: 'user'; text: string }
  | { type: 'model'; response: string[] };

export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryEntry[] {
  const history = messages.map((m): ChatHistoryEntry => {
    const text = messageText(m.content);
    if (m.role === 'assistant') return { type: 'model', response: [text] };
    return m.role === 'user' ? { type: 'user', text } : { type: 'system', text };
  });
  return [...history, { type: 'model', response: [] }];
}

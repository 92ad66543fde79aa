import { formatTranscript, toChatHistory } from './prompt-format';

describe('prompt formats', () => {
  it('writes a transcript that ends where the assistant speaks', () => {
    const prompt = formatTranscript([
      { role: 'system', content: ' You plan remediations. ' },
      { role: 'developer', content: [{ type: 'text', text: 'JSON only.' }] },
      { role: 'user', content: 'Disk full on db-1' },
      { role: 'assistant', content: '{"action":"noop"}' },
      { role: 'user', content: 'Again' },
    ]);
    expect(prompt).toBe(
      [
        'System: You plan remediations.',
        'System: JSON only.',
        'User: Disk full on db-1',
        'Assistant: {"action":"noop"}',
        'User: Again',
        'Assistant:',
      ].join('\n\n'),
    );
  });

  it('maps messages to a chat history with an open model turn for the template', () => {
    expect(
      toChatHistory([
        { role: 'system', content: 'sys' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
        { role: 'assistant', content: 'c' },
      ]),
    ).toEqual([
      { type: 'system', text: 'sys' },
      { type: 'user', text: 'a\nb' },
      { type: 'model', response: ['c'] },
      { type: 'model', response: [] },
    ]);
  });
});

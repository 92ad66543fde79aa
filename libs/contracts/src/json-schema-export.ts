import { z } from 'zod';
import { allTopics } from './topics';

export interface ExportedSchema {
  fileName: string;
  content: string;
}

/** JSON Schema (draft 2020-12) of every topic's contract, for producers written in other languages. */
export function exportJsonSchemas(): ExportedSchema[] {
  return allTopics.map((topic) => {
    const schema = z.toJSONSchema(topic.schema, { io: 'input', unrepresentable: 'any' });
    const document = {
      $id: `https://vigil.dev/schemas/${topic.name}.json`,
      title: topic.name,
      description: `${topic.description} (Kafka topic ${topic.name})`,
      ...schema,
    };
    return {
      fileName: `${topic.name}.schema.json`,
      content: `${JSON.stringify(document, null, 2)}\n`,
    };
  });
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** A path that is missing or is a folder, said in words rather than as ENOENT or EISDIR. */
export function checkInputFile(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  if (statSync(path).isDirectory()) throw new Error(`${path} is a folder: give a file`);
}

/** A file's text, after {@link checkInputFile}. */
export function readInputFile(path: string): string {
  checkInputFile(path);
  return readFileSync(path, 'utf8');
}

/** A JSON file's value; what is wrong with it names the file. */
export const readJsonFile = (path: string): unknown => readParsed(path, 'JSON', JSON.parse);

/** A YAML file's value (JSON is YAML too); what is wrong with it names the file. */
export const readYamlFile = (path: string): unknown => readParsed(path, 'YAML', parseYaml);

function readParsed(path: string, format: string, parse: (text: string) => unknown): unknown {
  const text = readInputFile(path);
  try {
    return parse(text);
  } catch (error) {
    // the first line: the yaml package's message goes on with the offending line and a caret
    const first = (error as Error).message.split('\n')[0];
    throw new Error(`${path} is not ${format}: ${first}`);
  }
}

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
export function readJsonFile(path: string): unknown {
  const text = readInputFile(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
}

/** A YAML file's value (JSON is YAML too); what is wrong with it names the file. */
export function readYamlFile(path: string): unknown {
  const text = readInputFile(path);
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    // the yaml package's message spans several lines (the offending line and a caret)
    const first = (error as Error).message.split('\n')[0];
    throw new Error(`${path} is not YAML: ${first}`);
  }
}

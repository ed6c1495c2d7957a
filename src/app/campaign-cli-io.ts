import { readFile } from 'node:fs/promises';

/** What the CLI says when it cannot read the customers' file: a sentence with the path. */
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'this user may not read it',
  EPERM: 'this user may not read it',
  EISDIR: 'it is a folder, not a file',
};

/** Reads the customers' CSV; a plain sentence naming the path when it cannot. */
export async function readCsv(path: string): Promise<{ text: string } | { problem: string }> {
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return { problem: `Cannot read the file ${path}: ${FILE_PROBLEMS[code] ?? `the system said ${code || 'no'}`}.` };
  }
}

/** Where Redis is, for messages: scheme, host and port, never its password. */
export function redisAddress(url: string): string {
  if (!URL.canParse(url)) return 'REDIS_URL';
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}`;
}

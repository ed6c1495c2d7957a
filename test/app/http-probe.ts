/** The HTTP status of a GET (0: no answer at all). */
export async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Resolves once GET `url` answers `status`; rejects after `timeoutMs`. */
export async function waitForStatus(url: string, status: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: number;
  while ((last = await statusOf(url)) !== status) {
    if (Date.now() > deadline) throw new Error(`${url} answered ${last}, not ${status}, for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

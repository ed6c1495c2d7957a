/** Placeholder: the Redis global teardown (issue 3) replaces this. */
export default async function globalTeardown(): Promise<void> {}

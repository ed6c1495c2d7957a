/** Placeholder: the Redis global setup (issue 3) replaces this. */
export default async function globalSetup(): Promise<void> {}

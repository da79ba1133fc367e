/**
 * Node flags the server runs with (`npm start`, tests and benchmarks pass them on its command
 * line; V8 takes them only at start).
 *
 * `--max-semi-space-size=2`: the young generation's halves are 2 MiB instead of up to 16. A
 * scavenge copies what survives of one half, so with a large board arriving or loading (two
 * million new Yjs items) each pause stays ~10–35 ms instead of 40–60 ms, and under load from
 * other processes 100–130 ms (measured with the worst update of tests/server/large-update.test.ts
 * on 2 cores with one busy; docs/security.md, 13j). The cost: more frequent scavenges.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2'] as const;

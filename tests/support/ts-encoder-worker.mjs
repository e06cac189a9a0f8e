// The log encoder thread from its TypeScript source, for tests and benchmarks run without a build:
// tsx's loader registered inside the thread (a worker's --import would load the entry before the
// loader is in place on Node 20). The built server uses .output/server/log-encoder-worker.mjs.
import { register } from 'tsx/esm/api'

register()
await import('../../server/services/log/encoding/encoder-worker.ts')

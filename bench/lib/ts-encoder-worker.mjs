// The log encoder thread from its TypeScript source (tsx's loader registered inside the thread), for
// benchmarks run without a build. The built server uses .output/server/log-encoder-worker.mjs.
import { register } from 'tsx/esm/api'

register()
await import('../../server/services/log/encoding/encoder-worker.ts')

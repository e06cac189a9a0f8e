#!/usr/bin/env node
// The `rosetta` command: runs the bundled CLI (`npm run build` writes cli/dist/rosetta.mjs), or, in a
// checkout that has not been built, the TypeScript source through tsx.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const bundle = fileURLToPath(new URL('./dist/rosetta.mjs', import.meta.url))
if (existsSync(bundle)) {
  await import(new URL('./dist/rosetta.mjs', import.meta.url).href)
} else {
  const src = fileURLToPath(new URL('./index.ts', import.meta.url))
  const r = spawnSync(process.execPath, ['--import', 'tsx', src, ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(r.status ?? 1)
}

import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8')
}

export function fixtureJson<T = any>(rel: string): T {
  return JSON.parse(fixtureText(rel)) as T
}

/** `*.chunks.txt`: one JSON payload per line. */
export function fixtureChunks<T = any>(rel: string): T[] {
  return fixtureText(rel)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T)
}

export function fixtureFiles(dir: string, suffix: string): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith(suffix))
    .map((f) => `${dir}/${f}`)
}

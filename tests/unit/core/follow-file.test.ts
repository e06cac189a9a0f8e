import { afterEach, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { followFile, type FileFollower } from '../../../server/services/config/follow-file'

/**
 * The ways a config file changes under a running server. Every wait polls for an outcome the
 * follower reports (never a fixed sleep), with a timeout generous enough for a loaded machine.
 */
const dirs: string[] = []
const followers: FileFollower[] = []
afterEach(() => {
  for (const f of followers.splice(0)) f.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rosetta-follow-'))
  dirs.push(d)
  return d
}

/**
 * Follows `path` and records every change and every settled look. `initial` is what the server
 * passes: the hash of the content it applied at boot (null: there was no file).
 */
function follow(path: string, pollMs = 100, initial?: string | null) {
  const seen = { changes: 0, outcomes: [] as string[] }
  followers.push(
    followFile(path, () => seen.changes++, {
      settleMs: 50,
      pollMs,
      observe: (o) => seen.outcomes.push(o),
      ...(initial !== undefined ? { initial } : {}),
    }),
  )
  return seen
}

async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The follower has taken its first look at an existing file (and is watching its directory). */
async function started(seen: { outcomes: string[] }): Promise<void> {
  await until(() => seen.outcomes.length > 0, 'the first look')
}


/** A rosetta.yaml in a fresh folder, followed, once the follower has taken its first look. */
async function followingNewFile() {
  const dir = tempDir()
  const file = join(dir, 'rosetta.yaml')
  writeFileSync(file, 'a: 1\n')
  const seen = follow(file)
  await started(seen)
  return { dir, file, seen }
}
describe('followFile', { timeout: 30_000 }, () => {
  it('sees a file written in place', async () => {
    const { file, seen } = await followingNewFile()
    writeFileSync(file, 'a: 2\n')
    await until(() => seen.changes === 1, 'the in-place edit')
  })

  it('sees an editor that writes a temp file and renames it over', async () => {
    const { dir, file, seen } = await followingNewFile()
    writeFileSync(join(dir, '.rosetta.yaml.swp'), 'a: 2\n')
    renameSync(join(dir, '.rosetta.yaml.swp'), file)
    await until(() => seen.changes === 1, 'the rename over')
    // vim's way: the original moves to a backup name, a new file takes its name.
    renameSync(file, join(dir, 'rosetta.yaml~'))
    writeFileSync(file, 'a: 3\n')
    await until(() => seen.changes === 2, 'the backup-and-write save')
  })

  it('follows a Kubernetes ConfigMap update: the ..data symlink renamed over to a new timestamped dir', async () => {
    const dir = tempDir()
    const stamp = (n: number, text: string) => {
      const d = join(dir, `..2026_12_04_16_0${n}_00.00000000${n}`)
      mkdirSync(d)
      writeFileSync(join(d, 'rosetta.yaml'), text)
      return d
    }
    const first = stamp(1, 'a: 1\n')
    symlinkSync(first.slice(dir.length + 1), join(dir, '..data'))
    symlinkSync('..data/rosetta.yaml', join(dir, 'rosetta.yaml'))
    const file = join(dir, 'rosetta.yaml')
    const seen = follow(file, 60_000) // no polling: the directory event alone must carry it
    const swap = (target: string) => {
      symlinkSync(target.slice(dir.length + 1), join(dir, '..data_tmp'))
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'))
    }
    await started(seen)
    const second = stamp(2, 'a: 2\n')
    swap(second)
    rmSync(first, { recursive: true })
    await until(() => seen.changes === 1, 'the ..data swap')
    // A swap to identical content is not a change.
    const third = stamp(3, 'a: 2\n')
    swap(third)
    rmSync(second, { recursive: true })
    await until(() => seen.outcomes.includes('unchanged'), 'the look at the identical swap')
    expect(seen.changes).toBe(1)
  })

  it('sees a file (and its directory) that appear after it started following', async () => {
    const dir = join(tempDir(), 'later')
    const file = join(dir, 'rosetta.yaml')
    // As at a boot without the file: without `initial`, a file written before the follower's first
    // look would be taken as the content already applied (a race the server never has).
    const seen = follow(file, 100, null)
    mkdirSync(dir)
    writeFileSync(file, 'a: 1\n')
    await until(() => seen.changes === 1, 'the new file')
    // Once the directory exists it is watched, so a later edit is seen without polling too.
    writeFileSync(file, 'a: 2\n')
    await until(() => seen.changes === 2, 'the edit after it appeared')
  })

  it('ignores a touch and other files; a removed file is not a change, its return with new content is', async () => {
    const { dir, file, seen } = await followingNewFile()
    writeFileSync(join(dir, 'other.txt'), 'x')
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    await until(() => seen.outcomes.filter((o) => o === 'unchanged').length >= 2, 'the look after the touch')
    rmSync(file)
    await until(() => seen.outcomes.includes('missing'), 'the look at the missing file')
    writeFileSync(file, 'a: 1\n') // the same content back: nothing to apply
    await until(() => seen.outcomes.filter((o) => o === 'unchanged').length >= 3, 'the look at the returned file')
    expect(seen.changes).toBe(0)
    writeFileSync(file, 'a: 9\n')
    await until(() => seen.changes === 1, 'the new content')
  })

  it('reports a change made between reading the applied content and starting to follow', async () => {
    const dir = tempDir()
    const file = join(dir, 'rosetta.yaml')
    writeFileSync(file, 'a: 2\n')
    let changes = 0
    const { createHash } = await import('node:crypto')
    followers.push(followFile(file, () => changes++, { settleMs: 50, pollMs: 100, initial: createHash('sha256').update('a: 1\n').digest('hex') }))
    await until(() => changes === 1, 'the change before following')
  })
})

import { watch, type FSWatcher } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { dirname } from 'node:path'

export interface FollowOptions {
  /** A change must hold still this long before it counts (editors write in several steps). */
  settleMs?: number
  /** The safety net: how often the path is looked at even when no event came. */
  pollMs?: number
  /** Told the outcome of every settled look (tests wait on it instead of sleeping). */
  observe?: (outcome: 'changed' | 'unchanged' | 'missing') => void
}

export interface FileFollower {
  close(): void
}

/** What the path points at right now, through every symlink: which file, and when it last changed. */
async function identity(path: string): Promise<string | null> {
  try {
    const s = await stat(path) // follows symlinks: a swapped ..data link shows as a new inode
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`
  } catch {
    return null
  }
}

async function contentHash(path: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex')
  } catch {
    return null
  }
}

/**
 * Calls `onChange` when the content at `path` changes, however it changes:
 * - written in place, or replaced by rename (editors that save to a temp file and rename it over);
 * - a Kubernetes ConfigMap: `path` is a symlink to `..data/<name>`, and an update renames a new
 *   `..data` symlink over the old one (the file itself is never written, only the link swapped);
 * - absent at first and created later (the directory may not exist yet either).
 * The directory is watched (events for any name there, since a swap names `..data`, not the file)
 * and the path is also looked at every `pollMs`, for file systems whose events never come (network
 * mounts, some container volumes). Only a content change counts: touching the file, or any other
 * file in the directory, does nothing. A missing file is not a change (the last content stays in
 * force); its return with new content is.
 * `initial` is the content hash already applied; by default, what the path holds when following starts.
 */
export function followFile(path: string, onChange: () => void, opts: FollowOptions & { initial?: string | null } = {}): FileFollower {
  const settleMs = opts.settleMs ?? 200
  const pollMs = opts.pollMs ?? 1000
  let closed = false
  let applied: string | null | undefined = opts.initial
  let seen: string | null | undefined
  let settle: NodeJS.Timeout | undefined
  let dirWatch: FSWatcher | undefined
  let checking = false
  let again = false

  async function check(): Promise<void> {
    if (checking) {
      again = true
      return
    }
    checking = true
    try {
      do {
        again = false
        const id = await identity(path)
        if (closed) return
        if (id === seen) continue
        seen = id
        // Wait until it holds still, then compare content: a rename or a swap with equal bytes is no change.
        clearTimeout(settle)
        settle = setTimeout(() => void confirm(id), settleMs)
      } while (again && !closed)
    } finally {
      checking = false
    }
  }

  async function confirm(id: string | null): Promise<void> {
    if (closed) return
    if (id === null) return opts.observe?.('missing')
    if ((await identity(path)) !== id) return void check()
    const hash = await contentHash(path)
    if (closed) return
    if (hash === null) return opts.observe?.('missing')
    if (hash === applied) return opts.observe?.('unchanged')
    applied = hash
    onChange()
    opts.observe?.('changed')
  }

  function watchDir(): void {
    if (dirWatch || closed) return
    try {
      dirWatch = watch(dirname(path), () => void check())
      dirWatch.on('error', () => {
        // The directory went away (or the watch broke): polling carries on and re-watches when it can.
        dirWatch?.close()
        dirWatch = undefined
      })
      dirWatch.unref()
    } catch {
      dirWatch = undefined // no directory yet
    }
  }

  let poll: NodeJS.Timeout | undefined
  void (async () => {
    const id = await identity(path)
    if (applied === undefined) applied = id === null ? null : await contentHash(path)
    if (closed) return
    seen = id
    watchDir()
    poll = setInterval(() => {
      watchDir()
      void check()
    }, pollMs)
    poll.unref()
    // Whatever changed between reading `initial` and now counts too.
    if (id !== null) settle = setTimeout(() => void confirm(id), 0)
  })()

  return {
    close() {
      closed = true
      clearInterval(poll)
      clearTimeout(settle)
      dirWatch?.close()
    },
  }
}

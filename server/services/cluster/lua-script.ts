import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/** A Lua script with its SHA-1, run by EVALSHA (the text crosses the wire only when Redis lacks it). */
export interface LuaScript {
  lua: string
  sha: string
}

export const luaScript = (lua: string): LuaScript => ({ lua, sha: createHash('sha1').update(lua).digest('hex') })

/** Runs a script: EVALSHA, and EVAL once if Redis does not know it yet (first use, or after a restart). */
export async function runScript(r: Redis, s: LuaScript, keys: string[], args: Array<string | number>): Promise<unknown> {
  try {
    return await r.evalsha(s.sha, keys.length, ...keys, ...args)
  } catch (e) {
    if (!String((e as Error).message).includes('NOSCRIPT')) throw e
    return r.eval(s.lua, keys.length, ...keys, ...args)
  }
}

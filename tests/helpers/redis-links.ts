import { afterAll, beforeAll } from 'vitest'
import { RedisLink } from '../../server/services/cluster/redis-link'
import { startRedisServer, type RedisServer } from '../support/redis-server'

/**
 * A throwaway Redis for the enclosing describe and the RedisLinks (one per simulated instance) its
 * tests open: every link is closed, then the server stopped, after the last test.
 */
export function useRedisLinks(): { readonly server: RedisServer; readonly links: RedisLink[]; link(instanceId: string): RedisLink } {
  let server: RedisServer | undefined
  const links: RedisLink[] = []
  beforeAll(async () => {
    server = await startRedisServer()
  })
  afterAll(async () => {
    for (const l of links) await l.close()
    await server?.stop()
  })
  return {
    get server() {
      if (!server) throw new Error('Redis starts in beforeAll: use it inside a test')
      return server
    },
    links,
    /** A new link for an instance, not yet started (a store may need to be built on it first). */
    link(instanceId) {
      const l = new RedisLink(this.server.url, instanceId)
      links.push(l)
      return l
    },
  }
}

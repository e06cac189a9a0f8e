import type { H3Event } from 'h3'
import { createTRPCNuxtHandler } from 'trpc-nuxt/server'
import { appRouter } from '../../trpc/routers/_app'
import { createContext } from '../../trpc/init'

export default createTRPCNuxtHandler({
  router: appRouter,
  // trpc-nuxt calls this with the H3 event first (its typing unions it with the fetch options).
  createContext: (event: H3Event | unknown) => createContext(event as H3Event),
})

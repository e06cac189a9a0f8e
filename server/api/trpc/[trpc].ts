import { createTRPCNuxtHandler } from 'trpc-nuxt/server'
import { appRouter } from '../../trpc/routers/_app'
import { createContext } from '../../trpc/init'

export default createTRPCNuxtHandler({
  router: appRouter,
  createContext: (event) => createContext(event),
})

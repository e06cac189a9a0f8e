import { createTRPCNuxtClient, httpBatchLink } from 'trpc-nuxt/client'
import type { AppRouter } from '~~/server/trpc/routers/_app'

/** The typed admin API client, provided as `$trpc`. */
export default defineNuxtPlugin(() => {
  const trpc = createTRPCNuxtClient<AppRouter>({
    links: [
      httpBatchLink({
        url: '/api/trpc',
        // A key kept for this tab (before sessions existed, and for scripted use) goes as a Bearer header.
        headers: () => {
          const key = bearerKey()
          return key ? { authorization: `Bearer ${key}` } : {}
        },
      }),
    ],
  })
  return { provide: { trpc } }
})

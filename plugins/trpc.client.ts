import { createTRPCNuxtClient, httpBatchLink } from 'trpc-nuxt/client'
import type { TRPCLink } from '@trpc/client'
import { observable } from '@trpc/server/observable'
import type { AppRouter } from '~~/server/trpc/routers/_app'

/**
 * An UNAUTHORIZED answer to any call but auth.* means the session has ended (expired, revoked, or
 * ended by an admin key rotation): every page, polled or not, goes to the login page saying so,
 * instead of staying on screen with its numbers gone. auth.login's UNAUTHORIZED is a wrong key.
 */
function sessionEndedLink(onEnded: () => void): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) =>
        next(op).subscribe({
          next: (v) => observer.next(v),
          error: (e) => {
            if (!op.path.startsWith('auth.') && e.data?.code === 'UNAUTHORIZED') onEnded()
            observer.error(e)
          },
          complete: () => observer.complete(),
        }),
      )
}

/** The typed admin API client, provided as `$trpc`. */
export default defineNuxtPlugin((nuxtApp) => {
  const trpc = createTRPCNuxtClient<AppRouter>({
    links: [
      sessionEndedLink(() => void nuxtApp.runWithContext(() => useAuth().sessionEnded())),
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

/**
 * Every admin page needs a login; the login page itself sends a logged-in user home. A visit with a
 * session that has ended (expired, revoked, rotated) lands on the login page saying so.
 */
export default defineNuxtRouteMiddleware(async (to) => {
  if (!to.path.startsWith('/admin')) return
  const auth = useAuth()
  const who = await auth.refresh()
  if (to.path === '/admin/login') return who ? navigateTo('/admin') : undefined
  if (!who) return navigateTo(loginRoute(to.fullPath, auth.ended.value))
})

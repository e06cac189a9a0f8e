/** Every admin page needs a login; the login page itself sends a logged-in user home. */
export default defineNuxtRouteMiddleware(async (to) => {
  if (!to.path.startsWith('/admin')) return
  const who = await useAuth().refresh()
  if (to.path === '/admin/login') return who ? navigateTo('/admin') : undefined
  if (!who) return navigateTo({ path: '/admin/login', query: to.fullPath !== '/admin' ? { next: to.fullPath } : {} })
})

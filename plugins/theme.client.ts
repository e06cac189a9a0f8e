/** Puts the remembered (or the system's) theme on <html> before the first page renders, the login page included. */
export default defineNuxtPlugin(() => {
  useTheme()
})

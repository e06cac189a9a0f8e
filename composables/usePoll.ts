/** Calls `fn` now and every `ms` while the component is mounted and the tab is visible. */
export function usePoll(fn: () => Promise<unknown>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  async function tick() {
    if (stopped) return
    if (document.visibilityState !== 'hidden') await fn().catch(() => undefined)
    // tick never rejects (fn's failure is caught above).
    if (!stopped) timer = setTimeout(() => void tick(), ms)
  }
  onMounted(tick)
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
  })
}

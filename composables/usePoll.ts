/** Calls `fn` now and every `ms` while the component is mounted and the tab is visible. */
export function usePoll(fn: () => Promise<unknown>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  async function tick() {
    if (stopped) return
    if (document.visibilityState !== 'hidden') await fn().catch(() => undefined)
    if (!stopped) timer = setTimeout(tick, ms)
  }
  onMounted(tick)
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
  })
}

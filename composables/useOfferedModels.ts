/**
 * Model discovery for the forms: each provider's own model ids (from its /models list, via the
 * server's 10-minute cache), loaded once per page and offered as autocomplete.
 */
export function useOfferedModels() {
  const offered = useState<Record<string, string[]> | null>('offered-models', () => null)
  const { $trpc } = useNuxtApp()
  if (offered.value === null && import.meta.client) {
    offered.value = {}
    // Quiet on failure: autocomplete is a help, typing a name by hand still works.
    $trpc.models.offered
      .query()
      .then((r) => (offered.value = r))
      .catch(() => undefined)
  }
  /** An el-autocomplete fetch-suggestions for one provider (all providers when none is chosen). */
  function suggestFor(provider: () => string | undefined) {
    return (q: string, cb: (r: { value: string }[]) => void) => {
      const p = provider()
      const ids = p ? (offered.value?.[p] ?? []) : [...new Set(Object.values(offered.value ?? {}).flat())]
      const needle = q.toLowerCase()
      cb(
        ids
          .filter((id) => id.toLowerCase().includes(needle))
          .slice(0, 50)
          .map((value) => ({ value })),
      )
    }
  }
  return { offered, suggestFor }
}

import type { z } from 'zod'
import { formatZodIssues } from '#shared/schemas/config-file'

/**
 * The save step every admin form dialog shares: check the form's candidate with the same zod schema
 * the server checks (issues shown in the dialog, nothing sent), then call the mutation with the parsed
 * value while `busy`, and hand its result to `done`. `T` is the procedure's input type from the router
 * (RouterInputs), so a schema that drifts from what the server takes fails the typecheck here.
 * `submit` resolves undefined when the call failed (its toast already shown by `call`/`run`).
 */
export function useSchemaForm<T, R>(opts: { schema: z.ZodType<T>; candidate: () => unknown; submit: (data: T) => Promise<R | undefined>; done: (result: R, data: T) => void }) {
  const error = ref('')
  const busy = ref(false)
  async function save() {
    error.value = ''
    const parsed = opts.schema.safeParse(opts.candidate())
    if (!parsed.success) {
      error.value = formatZodIssues(parsed.error)
      return
    }
    busy.value = true
    try {
      const r = await opts.submit(parsed.data)
      if (r !== undefined) opts.done(r, parsed.data)
    } finally {
      busy.value = false
    }
  }
  return { error, busy, save }
}

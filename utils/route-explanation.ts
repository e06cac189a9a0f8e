/**
 * The route tester's answer in words: the server sends a code and its values (`route`, with the
 * route's name, match and target), the admin words it in the chosen language. An unknown code
 * (a newer server) falls back to the server's English sentence. The codes and their values are
 * server/gateway/routing/resolve.ts's Explanation (plus `none` from the routes.test procedure).
 */
type Translate = (key: string, params?: Record<string, string | number>) => string

export function routeExplanationText(e: { code: string; params: Record<string, string | number> } | null | undefined, t: Translate, fallback: string): string {
  if (!e) return fallback
  const p = e.params
  switch (e.code) {
    case 'forced':
    case 'default':
    case 'none':
    case 'model':
      return t(`tester.${e.code}`, p)
    case 'route':
      return t('tester.route', { ...p, matchType: t(`routes.matchType.${String(p.matchType)}`) })
    default:
      return fallback
  }
}

/**
 * The settings Codex CLI sends with every Responses turn (its recorded requests): automatic tool
 * choice one call at a time, medium reasoning with summaries, nothing stored, streamed, and the
 * encrypted reasoning asked back so the next turn can carry it.
 */
export const CODEX_TURN = {
  tool_choice: 'auto' as const,
  parallel_tool_calls: false,
  reasoning: { effort: 'medium' as const, summary: 'auto' as const },
  store: false,
  stream: true as const,
  include: ['reasoning.encrypted_content' as const],
}

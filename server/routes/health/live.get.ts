/**
 * Liveness: 200 whenever the process answers HTTP, booting or draining included. For orchestrators
 * that restart a process that stopped answering; readiness (may it take traffic?) is /health.
 */
export default defineEventHandler((event) => {
  setResponseHeader(event, 'cache-control', 'no-store')
  return { status: 'alive', uptime_s: Math.round(process.uptime()) }
})

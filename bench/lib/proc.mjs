// Child processes and what /proc says about them (CPU ticks, RSS): the server's own
// process.cpuUsage() is not visible from outside, /proc/<pid>/stat and /status are.
import { execSync, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export const CLK_TCK = (() => {
  try {
    return Number(execSync('getconf CLK_TCK').toString().trim()) || 100
  } catch {
    return 100
  }
})()

/** utime + stime of every thread of the process, in seconds. */
export function cpuSeconds(pid) {
  return statCpu(`/proc/${pid}/stat`)
}

/** utime + stime of the process's main thread alone (Node's event loop), in seconds. */
export function mainThreadCpuSeconds(pid) {
  return statCpu(`/proc/${pid}/task/${pid}/stat`)
}

/** utime + stime in seconds of the process's main thread, and of all its other threads together. */
export function threadCpuSeconds(pid) {
  let main = 0
  let other = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let sec
    try {
      sec = statCpu(`/proc/${pid}/task/${tid}/stat`)
    } catch {
      continue // a thread that ended between the listing and the read: its time is in the process's total
    }
    if (tid === String(pid)) main += sec
    else other += sec
  }
  return { main, other }
}

function statCpu(path) {
  const s = readFileSync(path, 'utf8')
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) / CLK_TCK
}

/** { rss, hwm } in MB from /proc/<pid>/status. */
export function memMB(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN)
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 }
}

/** MB resident of the mappings of files whose path matches `re` (from /proc/<pid>/smaps): a shared library's touched pages. */
export function mappedFileMB(pid, re) {
  let kb = 0
  let hit = false
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) hit = re.test(line)
    else if (hit && line.startsWith('Rss:')) kb += Number(/(\d+)/.exec(line)[1])
  }
  return kb / 1024
}

/** Samples VmRSS every `ms` while running; max() is the peak seen. */
export function rssSampler(pid, ms = 200) {
  let max = 0
  const t = setInterval(() => {
    try {
      max = Math.max(max, memMB(pid).rss)
    } catch {
      /* the process has exited: keep the last reading */
    }
  }, ms)
  return {
    stop() {
      clearInterval(t)
      try {
        max = Math.max(max, memMB(pid).rss)
      } catch {
        /* the process has exited: keep the last reading */
      }
      return max
    },
  }
}

/**
 * Spawns `node <args>` and keeps the last 64 KB of its output. `ready(line)` is called for every
 * stdout line until it returns a value, which resolves the promise.
 */
export function startNode(args, env, { cwd, ready, timeoutMs = 30_000 } = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const keep = (d) => {
    out += d
    if (out.length > 65536) out = out.slice(-32768)
  }
  child.stderr.on('data', keep)
  const exited = new Promise((r) => child.once('exit', (code, sig) => r(code ?? sig)))
  const started = new Promise((resolve, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${out}`)), timeoutMs)
    child.stdout.on('data', (d) => {
      keep(d)
      if (!ready) return
      buf += d
      let i
      while (ready && (i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        const v = ready(line)
        if (v !== undefined) {
          ready = undefined
          clearTimeout(timer)
          resolve(v)
        }
      }
    })
    exited.then((c) => {
      clearTimeout(timer)
      reject(new Error(`${args.join(' ')} exited (${c}):\n${out}`))
    })
  })
  return {
    child,
    pid: child.pid,
    started,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const c = await exited
      clearTimeout(t)
      return c
    },
  }
}

export const portLine = (line) => {
  try {
    const j = JSON.parse(line)
    return typeof j.port === 'number' ? j.port : undefined
  } catch {
    return undefined
  }
}

/** Whole-machine CPU from /proc/stat, in seconds: guest busy time and hypervisor steal. */
export function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number)
  const [user, nice, system, , , irq, softirq, steal] = f
  return { busy: (user + nice + system + irq + softirq) / CLK_TCK, steal: (steal ?? 0) / CLK_TCK }
}

/**
 * Noise meter for one leg: CPU the machine spent outside our processes ("foreign", e.g. another job
 * on this box) and steal time, both in cores. A leg with foreign > ~0.2 cores ran on a busy machine.
 */
export function noiseMeter(pids) {
  const cpuOf = () => pids.reduce((a, p) => a + cpuSeconds(p), 0)
  const m0 = machineCpu()
  const o0 = cpuOf()
  const t0 = performance.now()
  return () => {
    const m1 = machineCpu()
    const s = (performance.now() - t0) / 1000
    return { foreignCores: Math.max(0, m1.busy - m0.busy - (cpuOf() - o0)) / s, stealCores: (m1.steal - m0.steal) / s }
  }
}

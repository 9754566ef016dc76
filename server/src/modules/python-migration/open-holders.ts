import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'

/**
 * Processes (other than this one) that hold the database or its WAL open, as `pid 123 (python3)`.
 * Read from /proc on Linux; elsewhere the list is empty and the copy's before/after check is what
 * catches a running server.
 */
export function openHolders(path: string): string[] {
  let targets: Set<string>
  let pids: string[]
  try {
    const real = realpathSync(path)
    targets = new Set([real, `${real}-wal`, `${real}-shm`])
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
  } catch {
    return []
  }
  const holders: string[] = []
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    const holds = fds.some((fd) => {
      try {
        return targets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))
      } catch {
        return false
      }
    })
    if (holds) holders.push(`pid ${pid} (${commandName(pid)})`)
  }
  return holders
}

function commandName(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return '?'
  }
}

import { stdinLines } from './line-reader.js'
import { runCli } from './run-cli.js'

// Entry of the `codex-lb` bin (server/bin/codex-lb.js). `serve` keeps running after runCli resolves.
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  openStdin: () => stdinLines(),
})
process.exitCode = code

import { CliError } from './io.js'

/** One command of the CLI: what `codex-lb <command> --help` prints and which arguments it takes. */
export interface CommandSpec {
  name: 'serve' | 'accounts import' | 'accounts list' | 'accounts login' | 'migrate-from-python'
  /** The positional arguments, in order (all required). */
  args: readonly string[]
  /** One line for the list of commands. */
  brief: string
  summary: string
  /** Flag → what it does. */
  flags: Readonly<Record<string, string>>
  /** Flags that cannot be given together. */
  exclusive?: readonly string[]
  /** Flags that take a value (`--from DIR` or `--from=DIR`): flag → [value name, what it does]. */
  options?: Readonly<Record<string, readonly [string, string]>>
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'serve',
    args: [],
    brief: 'start the server',
    summary: 'Start the server (the default command).',
    flags: {},
  },
  {
    name: 'accounts import',
    args: ['PATH'],
    brief: 'import a Codex CLI auth.json',
    summary:
      'Import a Codex CLI auth.json (e.g. ~/.codex/auth.json) holding ChatGPT sign-in tokens.\n' +
      'Importing an account that exists already updates it in place.',
    flags: {},
  },
  {
    name: 'accounts list',
    args: [],
    brief: 'list pooled accounts',
    summary: 'List pooled accounts with their plan, status and remaining usage.',
    flags: { '--json': 'print JSON instead of a table' },
  },
  {
    name: 'accounts login',
    args: [],
    brief: 'add an account by signing in with ChatGPT',
    summary:
      'Add an account by signing in with ChatGPT in a browser; the redirect comes back to a\n' +
      'local callback port.',
    flags: {
      '--paste':
        'also read the redirect URL from stdin (SSH: the browser cannot reach this machine)',
      '--device': 'sign in with a device code instead',
    },
    exclusive: ['--paste', '--device'],
  },
  {
    name: 'migrate-from-python',
    args: [],
    brief: 'import the data of the Python codex-lb',
    summary:
      'Import accounts (with their tokens), API keys with their limits and usage, and the dashboard\n' +
      'password, TOTP and settings from the Python codex-lb into this one. Stop the old server first.\n' +
      'The source is only read; the import is one transaction and a second run adds nothing twice.',
    flags: {
      '--dry-run': 'print what would be imported, table by table, and write nothing',
      '--skip-bad-rows': 'leave out rows that cannot be carried over instead of stopping',
    },
    options: {
      '--from': ['DIR', 'the old data dir with store.db and encryption.key (default ~/.codex-lb)'],
      '--database-url': ['URL', 'the old PostgreSQL database (postgresql[+asyncpg]://…)'],
      '--key-file': ['PATH', 'the old encryption.key (default: DIR/encryption.key)'],
      '--page-size': ['N', 'history rows read and written at a time (default 5000)'],
    },
  },
]

export const USAGE = `Usage: codex-lb [command]

Commands:
  serve                      start the server (the default)
  accounts import PATH       import a Codex CLI auth.json (e.g. ~/.codex/auth.json)
  accounts list [--json]     list pooled accounts
  accounts login [--paste]   add an account by signing in with ChatGPT in a browser;
                             --paste also reads the redirect URL from stdin (SSH)
  accounts login --device    sign in with a device code instead
  migrate-from-python        import the data of the Python codex-lb (--from DIR | --database-url URL)
  help                       show this text

Run codex-lb <command> --help for one command's help.
Configuration comes from CODEX_LB_* variables and ./.env.local, as for the server.
`

const HELP_FLAGS = new Set(['--help', '-h'])

export function commandHelp(spec: CommandSpec): string {
  const valued = Object.entries(spec.options ?? {}).map(([f, [v, what]]) => [`${f} ${v}`, what])
  const flags = { ...Object.fromEntries(valued), ...spec.flags, '--help': 'show this text' }
  const width = Math.max(...Object.keys(flags).map((f) => f.length))
  const options = Object.entries(flags).map(([f, what]) => `  ${f.padEnd(width)}  ${what}\n`)
  const synopsis = [
    `codex-lb ${spec.name}`,
    ...spec.args,
    ...(spec.exclusive ? [`[${spec.exclusive.join(' | ')}]`] : []),
    ...valued.map(([f]) => `[${f}]`),
    ...Object.keys(spec.flags)
      .filter((f) => !spec.exclusive?.includes(f))
      .map((f) => `[${f}]`),
  ].join(' ')
  return `Usage: ${synopsis}\n\n${spec.summary}\n\nOptions:\n${options.join('')}`
}

const ACCOUNTS_HELP =
  `Usage: codex-lb accounts <import PATH | list [--json] | login [--paste | --device]>\n\n` +
  COMMANDS.filter((c) => c.name.startsWith('accounts '))
    .map((c) => `  ${c.name.slice('accounts '.length).padEnd(8)}${c.brief}\n`)
    .join('') +
  '\nRun codex-lb accounts <command> --help for its options.\n'

export type Invocation =
  | { kind: 'help'; text: string }
  | {
      kind: 'run'
      command: CommandSpec['name']
      args: string[]
      flags: Set<string>
      options: Map<string, string>
    }

/** Reads argv into a command, its positional arguments and flags; CliError (exit 2) otherwise. */
export function parseArgs(argv: readonly string[]): Invocation {
  const [first = 'serve', ...rest] = argv
  if (first === 'help' || HELP_FLAGS.has(first)) return { kind: 'help', text: USAGE }
  if (first.startsWith('-')) throw new CliError(`unknown flag: ${first}\n\n${USAGE.trimEnd()}`, 2)
  const unknown = () => new CliError(`unknown command: ${argv.join(' ')}\n\n${USAGE.trimEnd()}`, 2)
  let spec = COMMANDS.find((c) => c.name === first)
  let tail = rest
  if (!spec && first === 'accounts') {
    const [sub, ...subRest] = rest
    if (sub === undefined || HELP_FLAGS.has(sub)) {
      if (sub === undefined)
        throw new CliError(`accounts needs a command\n\n${ACCOUNTS_HELP.trimEnd()}`, 2)
      return { kind: 'help', text: ACCOUNTS_HELP }
    }
    spec = COMMANDS.find((c) => c.name === `accounts ${sub}`)
    tail = subRest
  }
  if (!spec) throw unknown()
  return parseCommand(spec, tail)
}

function parseCommand(spec: CommandSpec, tail: readonly string[]): Invocation {
  const help = commandHelp(spec)
  const usage = help.trimEnd()
  if (tail.some((a) => HELP_FLAGS.has(a))) return { kind: 'help', text: help }
  const flags = new Set<string>()
  const options = new Map<string, string>()
  const args: string[] = []
  for (let i = 0; i < tail.length; i++) {
    const arg = tail[i]!
    const [name, inline] = arg.startsWith('--') ? splitOption(arg) : [arg, undefined]
    if (spec.options && Object.hasOwn(spec.options, name)) {
      const value = inline ?? tail[++i]
      if (value === undefined || value === '') {
        throw new CliError(`${name} needs a ${spec.options[name]![0]}\n\n${usage}`, 2)
      }
      options.set(name, value)
    } else if (arg.startsWith('-') && arg !== '-') {
      if (!Object.hasOwn(spec.flags, arg)) throw new CliError(`unknown flag: ${arg}\n\n${usage}`, 2)
      flags.add(arg)
    } else {
      args.push(arg)
    }
  }
  const both = spec.exclusive?.filter((f) => flags.has(f)) ?? []
  if (both.length > 1) throw new CliError(`${both.join(' and ')} cannot be combined\n\n${usage}`, 2)
  if (args.length < spec.args.length) {
    throw new CliError(`missing ${spec.args.slice(args.length).join(' ')}\n\n${usage}`, 2)
  }
  if (args.length > spec.args.length) {
    throw new CliError(`unexpected argument: ${args[spec.args.length]}\n\n${usage}`, 2)
  }
  return { kind: 'run', command: spec.name, args, flags, options }
}

function splitOption(arg: string): [string, string | undefined] {
  const at = arg.indexOf('=')
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)]
}

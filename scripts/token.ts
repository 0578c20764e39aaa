/**
 * `npm run token -- <command>`: manage the local lake's API tokens (in `$LAKE_DATA_DIR/auth.sqlite`;
 * works while the lake runs, and a revoked token stops working on its next request).
 *
 *   create --role <administrator|editor|reviewer|viewer> --name "<who or what>"
 *          [--id <id>]  prints the new token once; only its hash is stored. `--id` names it
 *          (the holder's user id is then `p-<id>`)
 *   list   prints id, role, created, name of every token
 *   revoke <id>
 */
import {parseArgs} from 'node:util'

import {lakeDataDir} from '../lib/env'
import {isRole, ROLES} from '../lib/roles'
import {AuthStore} from '../server/auth/tokens'

const USAGE = `Usage:
  npm run token -- create --role <${ROLES.join('|')}> --name "<name>" [--id <id>]
  npm run token -- list
  npm run token -- revoke <id>`

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`)
  process.exit(2)
}

const {values, positionals} = parseArgs({
  args: process.argv.slice(2),
  options: {
    role: {type: 'string'},
    name: {type: 'string'},
    id: {type: 'string'},
    help: {type: 'boolean', short: 'h'},
  },
  allowPositionals: true,
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}

const [command, ...rest] = positionals
const auth = new AuthStore(lakeDataDir())
try {
  switch (command) {
    case 'create': {
      if (!isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`)
      const name = values.name?.trim()
      if (!name) fail('--name is required (who or what uses the token)')
      const {id, token} = auth.createToken(name, values.role, ...(values.id ? [values.id] : []))
      console.error(`Created ${values.role} token ${id} "${name}".`)
      console.error('It is shown once and stored only as a hash: copy it now.')
      // The token alone on stdout, so `TOKEN=$(npm run -s token -- create …)` works.
      console.log(token)
      break
    }
    case 'list': {
      const tokens = auth.listTokens()
      if (tokens.length === 0) console.log('No tokens.')
      for (const t of tokens) console.log(`${t.id}\t${t.role}\t${t.createdAt}\t${t.name}`)
      break
    }
    case 'revoke': {
      const [id] = rest
      if (!id) fail('Name the token id to revoke (see `list`)')
      if (!auth.revokeToken(id)) {
        console.error(`No token with id "${id}".`)
        process.exitCode = 1
      } else console.log(`Revoked ${id}; its browser sessions are signed out too.`)
      break
    }
    default:
      fail(command ? `Unknown command "${command}"` : 'Name a command')
  }
} finally {
  auth.close()
}

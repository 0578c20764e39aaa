/**
 * A writer process killed with SIGKILL mid-stream, for durability tests: it runs a fixture script
 * that writes into `dataDir` and prints the number of each write once the store acknowledged it;
 * once `acknowledgedAtLeast` are printed it is killed without warning. Resolves with every number
 * it printed, so the test can check each of them survived.
 */
import {spawn} from 'node:child_process'
import {join} from 'node:path'

export async function killMidStream(
  fixture: string,
  dataDir: string,
  acknowledgedAtLeast: number,
): Promise<Set<number>> {
  const writer = join(import.meta.dirname, '../fixtures/groq', fixture)
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const acknowledged = new Set<number>()
  let buffered = ''
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve()
      else reject(new Error(`writer exited early: ${code}`))
    })
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) acknowledged.add(Number(line))
      if (acknowledged.size >= acknowledgedAtLeast && !child.killed) child.kill('SIGKILL')
    })
  })
  return acknowledged
}
